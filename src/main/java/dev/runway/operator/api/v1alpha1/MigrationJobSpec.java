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
    @Size(min = 1, max = 55)
    @ValidationRule(value = "self.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')", message = "spec.application must be an Application name (a DNS-1035 label of at most 55 characters)")
    @JsonPropertyDescription("The Application whose rollout this migration gates (informational when created by hand).")
    public String application;

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(value = "self == self.trim() && !self.contains(' ')", message = "spec.image must be an image reference without whitespace")
    @JsonPropertyDescription("Image that runs the migration, usually the new application image.")
    public String image;

    @Required
    @Size(min = 1, max = 64)
    @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "spec.command entries must be at most 4096 characters")
    @JsonPropertyDescription("Migration command, e.g. [flyway, migrate].")
    public List<String> command;

    @Size(max = 64)
    @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "spec.args entries must be at most 4096 characters")
    @JsonPropertyDescription("Arguments to the command.")
    public List<String> args;

    @Size(max = 100)
    @ValidationRule(value = "self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))", message = "spec.env keys must be valid environment variable names")
    @ValidationRule(value = "self.all(k, size(self[k]) <= 16384)", message = "spec.env values must be at most 16384 characters")
    @JsonPropertyDescription("Extra environment variables for the migration and rollback containers.")
    public Map<String, String> env;

    @Required
    @Size(min = 1, max = 253)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.databaseSecretRef must be a Secret name (lower-case DNS subdomain)")
    @JsonPropertyDescription("Secret with keys host, port, database, username, password (and optionally engine: PostgreSQL | MySQL); exposed as DATABASE_URL plus PG* or MYSQL_* variables.")
    public String databaseSecretRef;

    @Size(min = 1, max = 253)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
            message = "spec.serviceAccountName must be a ServiceAccount name (lower-case DNS subdomain)")
    @JsonPropertyDescription("ServiceAccount the migration and rollback pods run as (its token is mounted only then). An Application's MigrationJobs take the Application's spec.serviceAccountName.")
    public String serviceAccountName;

    @Size(max = 10)
    @ValidationRule(value = "self.all(r, self.exists_one(q, q.name == r.name))", message = "spec.imagePullSecrets names must be unique")
    @JsonPropertyDescription("Secrets with credentials for a private registry, as in a pod spec. An Application's MigrationJobs take the Application's spec.imagePullSecrets.")
    public List<ApplicationSpec.SecretName> imagePullSecrets;

    @JsonPropertyDescription("Who the migration and rollback containers run as (runAsUser, runAsGroup, fsGroup, readOnlyRootFilesystem, runAsRoot), as in an Application. An Application's MigrationJobs take the Application's spec.securityContext, so the same image runs the same way. Default: restricted, non-root.")
    public SecurityChoices securityContext;

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
        @Size(min = 1, max = 45)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.backup.policy must be a BackupPolicy name (lower-case DNS subdomain of at most 45 characters)")
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
