package dev.runway.operator.backup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Operator-wide settings of backups ({@code runway.backup.*}, or the environment variables
 * {@code RUNWAY_BACKUP_IMAGE} and {@code RUNWAY_BACKUP_MYSQL_IMAGE}). Documented in README.md.
 */
@ConfigMapping(prefix = "runway.backup")
public interface BackupConfig {
    /**
     * Image of backup and verification pods for PostgreSQL policies without spec.image: bash,
     * sha256sum, pg_dump, pg_restore and psql; it must run as a non-root user (UID 10001).
     */
    @WithDefault("docker.io/library/postgres:16-bookworm")
    String image();

    /** The same for MySQL/MariaDB policies: bash, sha256sum, mysqldump (or mariadb-dump) and mysql. */
    @WithDefault("docker.io/library/mariadb:11.4")
    String mysqlImage();
}
