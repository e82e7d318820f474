package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a MigrationJob is. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationJobStatus extends RunwayStatus {
    /** Phases, in order. */
    public enum Phase { Pending, BackingUp, Running, Succeeded, Failed, RollingBack, RolledBack }

    @JsonPropertyDescription("Pending | BackingUp | Running | Succeeded | Failed | RollingBack | RolledBack.")
    public Phase phase;

    @JsonPropertyDescription("The backup taken before the migration.")
    public BackupRef backup;

    @JsonPropertyDescription("Name of the migration Job.")
    public String job;

    @JsonPropertyDescription("Name of the rollback Job, when one ran.")
    public String rollbackJob;

    @JsonPropertyDescription("Pods the migration Job started.")
    public Integer attempts;

    public String startedAt;
    public String completedAt;

    @JsonPropertyDescription("The failing container's termination message or reason.")
    public String message;

    /** The pre-migration backup. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class BackupRef {
        public String job;
        public String name;
        public String completedAt;
        @JsonPropertyDescription("When the backup's pin ends (spec.backup.pinDays after the backup Job was made).")
        public String pinnedUntil;
    }
}
