package dev.runway.operator.migration;

import java.util.Map;

import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.common.ChildNames;
import dev.runway.operator.common.Hashes;
import dev.runway.operator.common.Labels;

/** Names and labels of what a MigrationJob makes. Job names stay within 63 characters (they become pod labels). */
public final class MigrationNames {
    /** On the backup, migration and rollback Jobs and their pods; its value is the MigrationJob's name. */
    public static final String MIGRATION_LABEL = "runway.dev/migration-job";
    /** On MigrationJobs an Application made; its value is the Application's name. */
    public static final String APPLICATION_LABEL = "runway.dev/application";
    public static final String MIGRATE = "migrate";
    public static final String ROLLBACK = "rollback";
    public static final String BACKUP = "backup";
    static final int MAX_NAME = ChildNames.MAX;

    private MigrationNames() {
    }

    public static String migrateJob(MigrationJob mj) {
        return child(mj.getMetadata().getName(), MIGRATE);
    }

    public static String rollbackJob(MigrationJob mj) {
        return child(mj.getMetadata().getName(), ROLLBACK);
    }

    /** The pre-migration backup Job (made through, and owned by, the BackupPolicy). */
    public static String backupJob(MigrationJob mj) {
        return child(mj.getMetadata().getName(), BACKUP);
    }

    /** {@code <name>-<suffix>} within 63 characters (common/ChildNames). */
    static String child(String name, String suffix) {
        return ChildNames.child(name, suffix);
    }

    /** The Application's MigrationJob for {@code image}: {@code <app>-<first 8 hex of sha256(image)>}, at most 63 characters. */
    public static String forImage(String application, String image) {
        String hash = Hashes.of(image, 8);
        String prefix = application.length() > MAX_NAME - 9 ? application.substring(0, MAX_NAME - 9).replaceAll("[-.]+$", "") : application;
        return prefix + "-" + hash;
    }

    /** Labels of a MigrationJob's Jobs and pods. */
    static Map<String, String> labels(MigrationJob mj, String component) {
        Map<String, String> labels = Labels.standard(mj, component);
        labels.put(MIGRATION_LABEL, mj.getMetadata().getName());
        return labels;
    }
}
