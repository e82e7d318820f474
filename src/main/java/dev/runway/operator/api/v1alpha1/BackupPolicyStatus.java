package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * What the backups of a BackupPolicy look like now, read from the termination messages of the
 * backup and verification pods. Results are kept here after Kubernetes deletes the Jobs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupPolicyStatus extends RunwayStatus {
    @JsonPropertyDescription("The newest successful backup.")
    public BackupInfo lastBackup;

    @JsonPropertyDescription("When the newest successful backup completed (RFC 3339).")
    public String lastSuccessfulBackupTime;

    @JsonPropertyDescription("The newest failed backup; cleared once a newer backup succeeds.")
    public Failure lastFailure;

    @JsonPropertyDescription("The newest verification restore.")
    public VerificationInfo lastVerification;

    @JsonPropertyDescription("Backups on storage after the newest successful backup's prune.")
    public Integer backups;

    @JsonPropertyDescription("Pinned backups on storage after the newest successful backup's prune, newest first (at most 10): retention does not prune them until their pin ends.")
    public java.util.List<Pin> pinnedBackups;

    @JsonPropertyDescription("When the next scheduled backup is due (RFC 3339); unset while spec.suspend is true.")
    public String nextScheduleTime;

    /** A pinned backup and the end of its pin. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Pin {
        @JsonPropertyDescription("File name of the backup on the policy's volume.")
        public String name;

        @JsonPropertyDescription("When the pin ends (RFC 3339); unset: it has no end. After it the backup is retained like any other, except the newest pinned backup, which stays pinned.")
        public String until;
    }

    /** One backup. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class BackupInfo {
        @JsonPropertyDescription("File name of the backup on storage, e.g. 20261122T020000Z.pgdump.")
        public String name;
        @JsonPropertyDescription("The Job that wrote it.")
        public String job;
        @JsonPropertyDescription("When the backup completed (RFC 3339).")
        public String completedAt;
        @JsonPropertyDescription("Size of the backup file in bytes.")
        public Long sizeBytes;
        @JsonPropertyDescription("SHA-256 of the backup file, as hex.")
        public String sha256;
        @JsonPropertyDescription("How long the dump took, in seconds.")
        public Long durationSeconds;
        @JsonPropertyDescription("True when the backup is pinned (e.g. taken before a migration): retention never prunes it.")
        public Boolean pinned;
    }

    /** A failed backup. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Failure {
        @JsonPropertyDescription("The Job that failed; its pod's log says more while the Job exists.")
        public String job;
        @JsonPropertyDescription("When it failed (RFC 3339).")
        public String failedAt;
        @JsonPropertyDescription("What the backup script or Kubernetes reported.")
        public String message;
    }

    /** A verification result. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class VerificationInfo {
        @JsonPropertyDescription("The backup file that was restored.")
        public String backup;
        @JsonPropertyDescription("The verification Job.")
        public String job;
        @JsonPropertyDescription("When the verification finished (RFC 3339).")
        public String completedAt;
        @JsonPropertyDescription("Passed | Failed.")
        public String result;
        @JsonPropertyDescription("Tables found in the restored database.")
        public Integer tables;
        @JsonPropertyDescription("Rows in all user tables of the restored database (exact count).")
        public Long rows;
        @JsonPropertyDescription("Rows the backup's manifest says were dumped (PostgreSQL), which the restored rows matched; unset when the dump holds no count.")
        public Long dumpedRows;
        @JsonPropertyDescription("Seconds the checksum check, the restore into the scratch database and the row count took: the measured restore time (RTO) of this backup.")
        public Long durationSeconds;
        @JsonPropertyDescription("Why the verification failed.")
        public String message;
    }
}
