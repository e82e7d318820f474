package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The desired state of a BackupPolicy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupPolicySpec {
    /**
     * The cron grammar accepted at admission, as an RE2 pattern: five fields with their value ranges
     * (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT (0 is Sunday; 7 is not accepted, as by the CronJob API);
     * each a list of '*', values, ranges and /steps; '?' in the day fields), or a macro such as
     * {@code @daily}. It is the grammar of the CronJob controller minus {@code @every} and TZ= prefixes;
     * what a pattern cannot check (a range whose start lies after its end) the operator reports as
     * Stalled.
     */
    public static final String CRON = "^[[:space:]]*(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|"
            + Cron.MINUTE + Cron.SPACE + Cron.HOUR + Cron.SPACE + Cron.DAY_OF_MONTH + Cron.SPACE + Cron.MONTH + Cron.SPACE
            + Cron.DAY_OF_WEEK + ")[[:space:]]*$";

    /** An IANA time zone name such as Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5 or UTC. */
    static final String TIME_ZONE = "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$";

    @Required
    @JsonPropertyDescription("The database to back up.")
    public Database database;

    @Required
    @Size(min = 1, max = 100)
    @ValidationRule(value = "self.matches('" + CRON + "')",
            message = "spec.schedule must be a cron expression with five fields in range (minute hour day-of-month month day-of-week, e.g. '0 2 * * *') or a macro like @daily")
    @JsonPropertyDescription("Cron schedule of the backups: five fields (minute hour day-of-month month day-of-week, e.g. '0 2 * * *') or @hourly, @daily, @weekly, @monthly, @yearly. Evaluated in spec.timeZone. A backup older than twice the interval between runs makes BackupsFresh=False and fires the BackupStale alert.")
    public String schedule;

    @Size(max = 64)
    @ValidationRule(value = "self.matches('" + TIME_ZONE + "') && self != 'Local'",
            message = "spec.timeZone must be an IANA time zone name such as Europe/Berlin or UTC")
    @JsonPropertyDescription("IANA time zone of the schedules, e.g. Europe/Berlin. Default: the kube-controller-manager's (usually UTC).")
    public String timeZone;

    @JsonPropertyDescription("Which backups to keep (grandfather-father-son); a backup kept by any rule stays. Pinned backups (taken before migrations) are never pruned. Default when unset: keepDaily 7, keepWeekly 4, keepMonthly 6.")
    public Retention retention;

    @Required
    @JsonPropertyDescription("Where backups are written.")
    public Storage storage;

    @JsonPropertyDescription("Recovery objectives: how old the newest backup may be (RPO) and how long a restore may take (RTO). They drive the BackupsFresh and RecoveryTimeObjective conditions and the BackupStale and RecoveryTimeObjectiveMissed alerts.")
    public Objectives objectives;

    @JsonPropertyDescription("Restore the newest backup into a scratch database on a schedule and check it. Unset: backups are not verified (condition Verified=Unknown).")
    public Verification verification;

    @Default("false")
    @JsonPropertyDescription("Pause scheduled backups and verifications (on-demand backups still run). Backups still age: BackupsFresh turns False when the newest is too old.")
    public Boolean suspend = false;

    @Min(60)
    @Max(86400)
    @JsonPropertyDescription("Seconds a backup Job may run before Kubernetes stops it (activeDeadlineSeconds). Default 3600.")
    public Integer timeoutSeconds;

    @Size(min = 1, max = 512)
    @ValidationRule(value = "self == self.trim() && !self.contains(' ')", message = "spec.image must be an image reference without whitespace")
    @JsonPropertyDescription("Image with bash, sha256sum and the database clients (pg_dump/pg_restore/psql or mysqldump/mysql). Default: the operator's runway.backup.image (PostgreSQL) or runway.backup.mysql-image (MySQL).")
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
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.database.secretRef must be a Secret name (lower-case DNS subdomain)")
        @JsonPropertyDescription("Secret in the policy's namespace with keys host, port, database, username, password. The backup pods read them as environment variables; the operator never copies the values.")
        public String secretRef;
    }

    /** Retention counts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.keepLast) ? self.keepLast : 0) + (has(self.keepDaily) ? self.keepDaily : 0) + (has(self.keepWeekly) ? self.keepWeekly : 0) + (has(self.keepMonthly) ? self.keepMonthly : 0) > 0",
            message = "spec.retention must keep at least one backup (some keep* count above 0)")
    public static class Retention {
        @Min(0) @Max(1000) @JsonPropertyDescription("Keep the newest N backups. Unset: 0.")
        public Integer keepLast;
        @Min(0) @Max(1000) @JsonPropertyDescription("Keep the newest backup of each of the last N days. Unset: 0.")
        public Integer keepDaily;
        @Min(0) @Max(1000) @JsonPropertyDescription("Keep the newest backup of each of the last N ISO weeks. Unset: 0.")
        public Integer keepWeekly;
        @Min(0) @Max(1000) @JsonPropertyDescription("Keep the newest backup of each of the last N months. Unset: 0.")
        public Integer keepMonthly;
    }

    /** Backup storage. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.persistentVolumeClaim)", message = "spec.storage needs a destination: set spec.storage.persistentVolumeClaim")
    public static class Storage {
        @JsonPropertyDescription("A PVC the operator creates (<policy>-backups) and never deletes: it outlives the BackupPolicy.")
        public Pvc persistentVolumeClaim;
    }

    /** The backup PVC. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
            message = "spec.storage.persistentVolumeClaim.storageClassName is immutable (a PVC cannot change class); create a new BackupPolicy to move backups")
    public static class Pvc {
        @Required
        @ValidationRule(value = "isQuantity(string(self)) && quantity(string(self)).isGreaterThan(quantity('0'))", message = "spec.storage.persistentVolumeClaim.size must be a positive quantity such as 20Gi")
        @ValidationRule(value = "!isQuantity(string(self)) || !isQuantity(string(oldSelf)) || quantity(string(self)).compareTo(quantity(string(oldSelf))) >= 0",
                message = "spec.storage.persistentVolumeClaim.size can only grow (a PVC cannot shrink)")
        @JsonPropertyDescription("Capacity, e.g. 20Gi. May grow later when the StorageClass allows volume expansion; never shrink.")
        public Quantity size;
        @Size(min = 1, max = 253)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.storage.persistentVolumeClaim.storageClassName must be a StorageClass name (lower-case DNS subdomain)")
        @JsonPropertyDescription("StorageClass. Default: the cluster's default class. Immutable.")
        public String storageClassName;
    }

    /** Recovery point and time objectives, each a duration like 26h, 90m or 1h30m. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Objectives {
        /** A duration of hours, minutes and seconds, each part optional, none zero-led (not 0 either). */
        public static final String DURATION = "^([1-9][0-9]{0,4}h)?([1-9][0-9]{0,5}m)?([1-9][0-9]{0,6}s)?$";

        @Size(min = 2, max = 20)
        @Pattern(DURATION)
        @JsonPropertyDescription("Recovery point objective: the newest successful backup may be at most this old, e.g. 26h. Replaces the default limit of BackupsFresh and the BackupStale alert (twice the interval between scheduled backups).")
        public String recoveryPoint;

        @Size(min = 2, max = 20)
        @Pattern(DURATION)
        @JsonPropertyDescription("Recovery time objective: a restore of the newest backup may take at most this long, e.g. 30m, as measured by the newest verification restore (needs spec.verification). Condition RecoveryTimeObjective and alert RecoveryTimeObjectiveMissed.")
        public String recoveryTime;
    }

    /** Verification schedule. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Verification {
        @Required
        @Size(min = 1, max = 100)
        @ValidationRule(value = "self.matches('" + CRON + "')",
                message = "spec.verification.schedule must be a cron expression with five fields in range or a macro like @weekly")
        @JsonPropertyDescription("Cron schedule of verification restores, e.g. '0 4 * * 0', in spec.timeZone.")
        public String schedule;

        @Min(60)
        @Max(86400)
        @JsonPropertyDescription("Seconds a verification Job may run (activeDeadlineSeconds). Default 3600.")
        public Integer timeoutSeconds;
    }

    /** The parts of {@link #CRON}: each field is a comma-separated list of '*', values or ranges, each with an optional /step. */
    static final class Cron {
        static final String SPACE = "[[:space:]]+";
        static final String STEP = "(/0*[1-9][0-9]{0,2})?";
        static final String MINUTE_VALUE = "[0-5]?[0-9]";
        static final String HOUR_VALUE = "([01]?[0-9]|2[0-3])";
        static final String DAY_VALUE = "(0?[1-9]|[12][0-9]|3[01])";
        static final String MONTH_VALUE = "(0?[1-9]|1[0-2]|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))";
        static final String WEEKDAY_VALUE = "(0?[0-6]|(?i:sun|mon|tue|wed|thu|fri|sat))";
        static final String MINUTE_ELEMENT = "([*]|" + MINUTE_VALUE + "(-" + MINUTE_VALUE + ")?)" + STEP;
        static final String HOUR_ELEMENT = "([*]|" + HOUR_VALUE + "(-" + HOUR_VALUE + ")?)" + STEP;
        static final String DAY_ELEMENT = "([*]|[?]|" + DAY_VALUE + "(-" + DAY_VALUE + ")?)" + STEP;
        static final String MONTH_ELEMENT = "([*]|" + MONTH_VALUE + "(-" + MONTH_VALUE + ")?)" + STEP;
        static final String WEEKDAY_ELEMENT = "([*]|[?]|" + WEEKDAY_VALUE + "(-" + WEEKDAY_VALUE + ")?)" + STEP;
        static final String MINUTE = "(" + MINUTE_ELEMENT + "(," + MINUTE_ELEMENT + ")*)";
        static final String HOUR = "(" + HOUR_ELEMENT + "(," + HOUR_ELEMENT + ")*)";
        static final String DAY_OF_MONTH = "(" + DAY_ELEMENT + "(," + DAY_ELEMENT + ")*)";
        static final String MONTH = "(" + MONTH_ELEMENT + "(," + MONTH_ELEMENT + ")*)";
        static final String DAY_OF_WEEK = "(" + WEEKDAY_ELEMENT + "(," + WEEKDAY_ELEMENT + ")*)";

        private Cron() {
        }
    }
}
