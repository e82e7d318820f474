package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the backups of a BackupPolicy look like now. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupPolicyStatus extends RunwayStatus {
    @JsonPropertyDescription("The newest successful backup.")
    public BackupInfo lastBackup;

    @JsonPropertyDescription("When the newest successful backup completed.")
    public String lastSuccessfulBackupTime;

    @JsonPropertyDescription("The newest failed backup, if it is newer than the last success.")
    public Failure lastFailure;

    @JsonPropertyDescription("The newest verification restore.")
    public VerificationInfo lastVerification;

    @JsonPropertyDescription("Backups on storage after the last prune.")
    public Integer backups;

    @JsonPropertyDescription("When the next scheduled backup is due.")
    public String nextScheduleTime;

    /** One backup. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class BackupInfo {
        public String name;
        public String job;
        public String completedAt;
        public Long sizeBytes;
        public String sha256;
        public Long durationSeconds;
        public Boolean pinned;
    }

    /** A failed backup. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Failure {
        public String job;
        public String failedAt;
        public String message;
    }

    /** A verification result. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class VerificationInfo {
        public String backup;
        public String job;
        public String completedAt;
        @JsonPropertyDescription("Passed | Failed.")
        public String result;
        public Integer tables;
        public String message;
    }
}
