package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The desired state of a BackupPolicy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupPolicySpec {
    /** The cron grammar accepted at admission: five fields, or a macro like @daily. */
    static final String CRON = "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|((\\\\*|\\\\?|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,(\\\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?)*|[A-Za-z]{3}(-[A-Za-z]{3})?)(\\\\s+((\\\\*|\\\\?|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,(\\\\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?)*|[A-Za-z]{3}(-[A-Za-z]{3})?)){4})$";

    @Required
    @JsonPropertyDescription("The database to back up.")
    public Database database;

    @Required
    @Size(min = 1, max = 100)
    @ValidationRule(value = "self.trim().matches('" + CRON + "')", message = "spec.schedule must be a cron expression with five fields (e.g. '0 2 * * *') or a macro like @daily")
    @JsonPropertyDescription("Cron schedule of the backups, e.g. '0 2 * * *'.")
    public String schedule;

    @Size(max = 64)
    @JsonPropertyDescription("IANA time zone of the schedules, e.g. Europe/Berlin. Default: the controller-manager's (UTC).")
    public String timeZone;

    @JsonPropertyDescription("Which backups to keep (grandfather-father-son). Pinned backups (taken before migrations) are never pruned.")
    public Retention retention;

    @Required
    @JsonPropertyDescription("Where backups are written.")
    public Storage storage;

    @JsonPropertyDescription("Restore the newest backup into a scratch database and check it.")
    public Verification verification;

    @Default("false")
    @JsonPropertyDescription("Pause scheduled backups and verifications (on-demand backups still run).")
    public Boolean suspend = false;

    @Min(60)
    @Max(86400)
    @JsonPropertyDescription("Seconds a backup Job may run. Default 3600.")
    public Integer timeoutSeconds;

    @Size(max = 512)
    @JsonPropertyDescription("Image with the database clients (pg_dump/pg_restore or mysqldump/mysql), bash and sha256sum. Default: the operator's runway.backup.image.")
    public String image;

    /** Database connection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Database {
        /** Supported engines. */
        public enum Engine { PostgreSQL, MySQL }

        @Required
        @JsonPropertyDescription("PostgreSQL | MySQL (MySQL also covers MariaDB).")
        public Engine engine;

        @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Secret with keys host, port, database, username, password.")
        public String secretRef;
    }

    /** Retention counts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.keepLast) ? self.keepLast : 0) + (has(self.keepDaily) ? self.keepDaily : 0) + (has(self.keepWeekly) ? self.keepWeekly : 0) + (has(self.keepMonthly) ? self.keepMonthly : 0) > 0",
            message = "spec.retention must keep at least one backup (some keep* count above 0)")
    public static class Retention {
        @Min(0) @Max(1000) @JsonPropertyDescription("Keep the newest N backups.")
        public Integer keepLast;
        @Min(0) @Max(1000) @JsonPropertyDescription("Keep the newest backup of each of the last N days.")
        public Integer keepDaily;
        @Min(0) @Max(1000) @JsonPropertyDescription("Keep the newest backup of each of the last N ISO weeks.")
        public Integer keepWeekly;
        @Min(0) @Max(1000) @JsonPropertyDescription("Keep the newest backup of each of the last N months.")
        public Integer keepMonthly;
    }

    /** Backup storage. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.persistentVolumeClaim)", message = "spec.storage needs a destination: set spec.storage.persistentVolumeClaim")
    public static class Storage {
        @JsonPropertyDescription("A PVC the operator creates (<policy>-backups) and never deletes.")
        public Pvc persistentVolumeClaim;
    }

    /** The backup PVC. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Pvc {
        @Required
        @ValidationRule(value = "isQuantity(string(self)) && quantity(string(self)).isGreaterThan(quantity('0'))", message = "spec.storage.persistentVolumeClaim.size must be a positive quantity such as 20Gi")
        @JsonPropertyDescription("Capacity, e.g. 20Gi.")
        public Quantity size;
        @Size(max = 253)
        @JsonPropertyDescription("StorageClass. Default: the cluster default.")
        public String storageClassName;
    }

    /** Verification schedule. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Verification {
        @Size(min = 1, max = 100)
        @ValidationRule(value = "self.trim().matches('" + CRON + "')", message = "spec.verification.schedule must be a cron expression with five fields or a macro like @weekly")
        @JsonPropertyDescription("Cron schedule of verification restores, e.g. '0 4 * * 0'.")
        public String schedule;
    }
}
