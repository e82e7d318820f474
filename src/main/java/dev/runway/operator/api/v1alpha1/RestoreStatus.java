package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a Restore is, and once it finished, what it restored. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreStatus extends RunwayStatus {
    /** Phases, in order. */
    public enum Phase { Pending, SafetyBackup, Restoring, Succeeded, Failed }

    @JsonPropertyDescription("Pending (waiting for its inputs or for the backup volume) | SafetyBackup (in place: backing up the data it will replace) | Restoring | Succeeded | Failed.")
    public Phase phase;

    @JsonPropertyDescription("The backup restored: chosen by spec.backup, confirmed by the restore Job.")
    public BackupUsed backup;

    @JsonPropertyDescription("The database restored into.")
    public TargetInfo target;

    @JsonPropertyDescription("In place only: the pinned backup of the policy's database taken just before its data was replaced. Restore it (select: Named) to undo.")
    public SafetyBackup safetyBackup;

    @JsonPropertyDescription("The restore Job.")
    public String job;

    @JsonPropertyDescription("User tables in the restored database.")
    public Integer tables;

    @JsonPropertyDescription("Rows in all user tables of the restored database (exact count).")
    public Long rows;

    @JsonPropertyDescription("When the restore Job started restoring (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("When the restore finished (RFC 3339).")
    public String completedAt;

    @JsonPropertyDescription("Seconds the restore Job took to check and load the backup and count the rows: the measured recovery time (RTO) of this backup.")
    public Long durationSeconds;

    @JsonPropertyDescription("With spec.switchApplication, once the restore succeeded: what the Application is given to read the restored database, and how to undo it.")
    public DataSwitch dataSwitch;

    @JsonPropertyDescription("Why the restore failed, or what it waits for.")
    public String message;

    /** The backup that was (or is being) restored. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class BackupUsed {
        @JsonPropertyDescription("File name on the policy's volume; unset for select: Latest until the Job has chosen.")
        public String name;
        @JsonPropertyDescription("How it was chosen: Latest, LatestVerified, Named or PreMigration.")
        public String select;
        @JsonPropertyDescription("SHA-256 of the dump, checked against its manifest before restoring.")
        public String sha256;
    }

    /** The database restored into. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TargetInfo {
        @JsonPropertyDescription("Database name; unset for an in-place restore (the policy's database: its name is in the policy's Secret).")
        public String database;
        @JsonPropertyDescription("True when the policy's own database was replaced.")
        public Boolean inPlace;
    }

    /** The backup taken before an in-place restore. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SafetyBackup {
        @JsonPropertyDescription("The backup Job (owned by the BackupPolicy).")
        public String job;
        @JsonPropertyDescription("File name of the pinned backup on the policy's volume.")
        public String name;
        @JsonPropertyDescription("When it completed (RFC 3339).")
        public String completedAt;
    }

    /** What a Restore gives an Application so that it reads the restored database. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class DataSwitch {
        @JsonPropertyDescription("The Application (spec.switchApplication.name); its status.restoredData says whether its pods read the database.")
        public String application;
        @JsonPropertyDescription("The ConfigMap Runway made, owned by this Restore: one key, database, the restored database's name.")
        public String configMap;
        @JsonPropertyDescription("The policy's database Secret, whose key database the ConfigMap overrides in the Application's containers.")
        public String secret;
        @JsonPropertyDescription("The restored database the Application reads.")
        public String database;
        @JsonPropertyDescription("How to undo the switch.")
        public String undo;
    }
}
