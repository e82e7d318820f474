package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What to restore and where. Immutable: to restore again, create another Restore. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable: create a new Restore to restore again")
@ValidationRule(value = "!has(self.switchApplication) || !has(self.target) || !self.target.inPlace",
        message = "spec.switchApplication goes with a restore into a new database: after an in-place restore the Application already reads the restored data")
public class RestoreSpec {
    @Required
    @Size(min = 1, max = 45)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.backupPolicy must be a BackupPolicy name (lower-case DNS subdomain)")
    @JsonPropertyDescription("The BackupPolicy in this namespace whose backups, volume and database Secret the restore uses. The restore goes to the server named by that Secret.")
    public String backupPolicy;

    @JsonPropertyDescription("Which backup to restore. Default: the newest backup on the policy's volume.")
    public BackupSelector backup;

    @JsonPropertyDescription("Where to restore. Default: a new database named after this Restore (metadata.name with - and . as _).")
    public Target target;

    @JsonPropertyDescription("Opt-in: once the restore into a new database has succeeded, the named Application reads that database. Runway makes a ConfigMap with the key database set to the restored database's name and adds it to the Application's containers right after the policy's database Secret (which the Application must list in spec.secretRefs), so that this one key is overridden and the pods roll. The Application's spec is not changed. To undo, delete the Restore: the pods roll back to the Secret's own database, and the restored database stays.")
    public SwitchApplication switchApplication;

    @Min(60)
    @Max(86400)
    @JsonPropertyDescription("Seconds the restore Job may run (activeDeadlineSeconds). Default 3600.")
    public Integer timeoutSeconds;

    /** Which backup. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(self.select == 'Named') == has(self.name)",
            message = "spec.backup.name is required with select: Named, and only then")
    @ValidationRule(value = "(self.select == 'PreMigration') == has(self.migrationJob)",
            message = "spec.backup.migrationJob is required with select: PreMigration, and only then")
    public static class BackupSelector {
        /** How the backup is chosen. */
        public enum Select { Latest, LatestVerified, Named, PreMigration }

        @Default("Latest")
        @JsonPropertyDescription("Latest: the newest backup on the volume when the restore starts. LatestVerified: the backup of the policy's newest verification, which must have passed (status.lastVerification). Named: spec.backup.name. PreMigration: the pinned backup a MigrationJob took before it migrated (spec.backup.migrationJob).")
        public Select select = Select.Latest;

        @Size(min = 1, max = 200)
        @ValidationRule(value = "self.matches('^[0-9]{8}T[0-9]{6}Z[.](pgdump|sql[.]gz)$')",
                message = "spec.backup.name must be a backup file name like 20261122T020000Z.pgdump or 20261122T020000Z.sql.gz (status.lastBackup.name of the policy)")
        @JsonPropertyDescription("With select: Named, the backup's file name, e.g. 20261122T020000Z.pgdump (as in the BackupPolicy's status.lastBackup.name).")
        public String name;

        @Size(min = 1, max = 63)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.backup.migrationJob must be a MigrationJob name (lower-case DNS subdomain of at most 63 characters)")
        @JsonPropertyDescription("With select: PreMigration, the MigrationJob in this namespace whose pre-migration backup (status.backup.name) is restored.")
        public String migrationJob;
    }

    /** The database restored into. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!self.inPlace || self.replaceExistingData",
            message = "spec.target.inPlace replaces the data of the policy's database: set spec.target.replaceExistingData: true to say so")
    @ValidationRule(value = "!self.replaceExistingData || self.inPlace",
            message = "spec.target.replaceExistingData only goes with spec.target.inPlace: a restore into another database never overwrites one")
    @ValidationRule(value = "!(self.inPlace && has(self.database))",
            message = "spec.target.database and spec.target.inPlace exclude each other: in place means the policy's own database")
    public static class Target {
        @Size(min = 1, max = 63)
        @ValidationRule(value = "self.matches('^[a-z_][a-z0-9_]*$')",
                message = "spec.target.database must be lower-case letters, digits and _, starting with a letter or _")
        @JsonPropertyDescription("A database that does not exist yet, created on the policy's server and restored into. A database that exists is never overwritten: the restore fails (Stalled) and says so.")
        public String database;

        @Default("false")
        @JsonPropertyDescription("Restore into the policy's own database, replacing all its data. Only with replaceExistingData: true, and only after a fresh pinned backup of what is there (status.safetyBackup).")
        public Boolean inPlace = false;

        @Default("false")
        @JsonPropertyDescription("Required with inPlace: true. Says that the data in the policy's database will be replaced by the backup's (a safety backup is taken first).")
        public Boolean replaceExistingData = false;
    }

    /** The Application switched to the restored database. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SwitchApplication {
        @Required
        @Size(min = 1, max = 63)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "spec.switchApplication.name must be an Application name (lower-case DNS label)")
        @JsonPropertyDescription("An Application in this namespace that lists the policy's database Secret in spec.secretRefs.")
        public String name;
    }
}
