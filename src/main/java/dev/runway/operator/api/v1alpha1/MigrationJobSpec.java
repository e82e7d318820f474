package dev.runway.operator.api.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired migration. Immutable: to retry, create a new MigrationJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable: create a new MigrationJob to run another migration")
public class MigrationJobSpec {
    @Size(max = 253)
    @JsonPropertyDescription("The Application whose rollout this migration gates (informational when created by hand).")
    public String application;

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(value = "self == self.trim() && !self.contains(' ')", message = "spec.image must be an image reference without whitespace")
    @JsonPropertyDescription("Image that runs the migration, usually the new application image.")
    public String image;

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Migration command, e.g. [flyway, migrate].")
    public List<String> command;

    @Size(max = 64)
    @JsonPropertyDescription("Arguments to the command.")
    public List<String> args;

    @Size(max = 100)
    @ValidationRule(value = "self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))", message = "spec.env keys must be valid environment variable names")
    @JsonPropertyDescription("Extra environment variables for the migration and rollback containers.")
    public Map<String, String> env;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Secret with keys host, port, database, username, password (and optionally engine: PostgreSQL | MySQL); exposed as DATABASE_URL plus PG* or MYSQL_* variables.")
    public String databaseSecretRef;

    @JsonPropertyDescription("Backup to take first.")
    public Backup backup;

    @JsonPropertyDescription("Command to run when the migration fails.")
    public Migration.RollbackCommand rollback;

    @Min(1)
    @Max(86400)
    @JsonPropertyDescription("Seconds the migration Job may run (activeDeadlineSeconds). Default 600.")
    public Integer timeoutSeconds;

    @Min(0)
    @Max(10)
    @JsonPropertyDescription("Retries of the migration pod (backoffLimit). Default 1.")
    public Integer backoffLimit;

    /** The backup before the migration. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Backup {
        @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("BackupPolicy in this namespace whose on-demand backup runs first.")
        public String policy;

        @JsonPropertyDescription("Wait for the backup to succeed before migrating. Default: true.")
        public Boolean required;

        @Min(1)
        @Max(3650)
        @JsonPropertyDescription("Days the backup stays pinned (the rollback window): retention never prunes it before. After that it returns to the policy's retention rules, except while it is the newest pinned backup of the policy (the restore point of the newest migration). Default 7.")
        public Integer pinDays;
    }
}
