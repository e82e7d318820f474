package dev.runway.operator.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The migration an Application runs before each new image serves. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Migration {
    @Required
    @Size(min = 1, max = 64)
    @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "spec.migration.command entries must be at most 4096 characters")
    @JsonPropertyDescription("Command run in the new image, e.g. [npx, prisma, migrate, deploy].")
    public List<String> command;

    @Size(max = 64)
    @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "spec.migration.args entries must be at most 4096 characters")
    @JsonPropertyDescription("Arguments to the command.")
    public List<String> args;

    @Required
    @Size(min = 1, max = 253)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.migration.databaseSecretRef must be a Secret name (lower-case DNS subdomain)")
    @JsonPropertyDescription("Secret with keys host, port, database, username, password (optionally engine); exposed as DATABASE_URL and the engine's own variables.")
    public String databaseSecretRef;

    @Size(min = 1, max = 45)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.migration.backupPolicy must be a BackupPolicy name (lower-case DNS subdomain of at most 45 characters)")
    @JsonPropertyDescription("BackupPolicy whose on-demand backup runs before the migration.")
    public String backupPolicy;

    @JsonPropertyDescription("Whether the backup must succeed first. Default: true in Production-tier environments, else true when backupPolicy is set.")
    public Boolean backupRequired;

    @JsonPropertyDescription("Command run when the migration fails.")
    public RollbackCommand rollback;

    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("Seconds the migration may run. Default 600.")
    public Integer timeoutSeconds;

    @Min(0)
    @Max(10)
    @JsonPropertyDescription("Retries of the migration pod. Default 1.")
    public Integer backoffLimit;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("MigrationJobs kept per Application; older ones are deleted. Default 5.")
    public Integer historyLimit;

    /** A rollback command. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RollbackCommand {
        @Required
        @Size(min = 1, max = 64)
        @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "rollback.command entries must be at most 4096 characters")
        @JsonPropertyDescription("Command run in the same image when the migration failed.")
        public List<String> command;

        @Size(max = 64)
        @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "rollback.args entries must be at most 4096 characters")
        @JsonPropertyDescription("Arguments to the rollback command.")
        public List<String> args;

        @JsonPropertyDescription("On runway.dev/rollback=image-and-data after this migration succeeded: restore the pinned pre-migration backup in place "
                + "(a Restore, with a safety backup first) instead of running command. For a migration whose undo cannot bring back data it dropped. "
                + "After a failed migration the command still runs. Default false.")
        public Boolean restoreBackup;
    }
}
