package dev.runway.operator.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.runway.operator.api.v1alpha1.BackupPolicySpec.Database.Engine;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobSpec;
import dev.runway.operator.common.PodSecurity;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/**
 * Builds the migration and rollback Jobs of a MigrationJob. Pure; the reconciler creates each Job
 * once and never patches it (a Job's pod template is immutable, and a migration must not run twice
 * because a field changed).
 *
 * <p>The database Secret reaches the container only as {@code secretKeyRef}s (keys host, port,
 * database, username, password), as the engine's own client variables plus {@code DATABASE_URL}.
 * DATABASE_URL is composed by the kubelet with dependent variable expansion ({@code $(VAR)}), so no
 * value is ever copied into the Job. The kubelet cannot URL-encode: a username or password with
 * URL-reserved characters ({@code @ : / ? # %}) gives an unusable DATABASE_URL; such credentials
 * must be used through the PG* / MYSQL_* variables instead.
 */
public final class MigrationJobFactory {
    public static final String MIGRATE_CONTAINER = "migrate";
    public static final String ROLLBACK_CONTAINER = "rollback";
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;
    public static final int DEFAULT_BACKOFF_LIMIT = 1;
    static final String TERMINATION_LOG = "/dev/termination-log";
    /** Names Runway sets for either engine; spec.env cannot override them (the Secret is the single source). */
    static final Set<String> RESERVED = Set.of("PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "MYSQL_HOST",
            "MYSQL_TCP_PORT", "MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PWD", "DATABASE_URL", "DATABASE_ENGINE", "HOME");

    private MigrationJobFactory() {
    }

    /** The engine a Secret's {@code engine} value names; unset means PostgreSQL, unknown means empty. */
    public static java.util.Optional<Engine> engine(String value) {
        if (value == null || value.isBlank()) {
            return java.util.Optional.of(Engine.PostgreSQL);
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "postgresql", "postgres" -> java.util.Optional.of(Engine.PostgreSQL);
            case "mysql", "mariadb" -> java.util.Optional.of(Engine.MySQL);
            default -> java.util.Optional.empty();
        };
    }

    /** The Job running spec.command. */
    public static Job migrate(MigrationJob mj, Engine engine) {
        MigrationJobSpec spec = mj.getSpec();
        int backoff = spec.backoffLimit != null ? spec.backoffLimit : DEFAULT_BACKOFF_LIMIT;
        return job(mj, MigrationNames.migrateJob(mj), MigrationNames.MIGRATE, MIGRATE_CONTAINER, spec.command, spec.args, engine, backoff);
    }

    /**
     * The Job running spec.rollback.command after a failed migration. One attempt: an undo that half
     * ran is not safely repeated, a human looks at it.
     */
    public static Job rollback(MigrationJob mj, Engine engine) {
        var rollback = mj.getSpec().rollback;
        return job(mj, MigrationNames.rollbackJob(mj), MigrationNames.ROLLBACK, ROLLBACK_CONTAINER, rollback.command, rollback.args, engine, 0);
    }

    private static Job job(MigrationJob mj, String name, String component, String container, List<String> command, List<String> args,
            Engine engine, int backoffLimit) {
        MigrationJobSpec spec = mj.getSpec();
        Map<String, String> labels = MigrationNames.labels(mj, component);
        int timeout = spec.timeoutSeconds != null ? spec.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
        return new JobBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(mj.getMetadata().getNamespace())
                    .withLabels(labels)
                    .addToOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(mj.getApiVersion()).withKind(mj.getKind())
                            .withName(mj.getMetadata().getName()).withUid(mj.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(backoffLimit)
                    .withActiveDeadlineSeconds((long) timeout)
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            // The token only for a ServiceAccount someone chose (workload identity, API access).
                            .withServiceAccountName(spec.serviceAccountName)
                            .withAutomountServiceAccountToken(spec.serviceAccountName == null ? false : null)
                            .withImagePullSecrets(spec.imagePullSecrets == null ? null
                                    : spec.imagePullSecrets.stream().map(r -> new LocalObjectReference(r.name)).toList())
                            .withSecurityContext(PodSecurity.pod(spec.securityContext))
                            .withContainers(new ContainerBuilder()
                                    .withName(container)
                                    .withImage(spec.image)
                                    .withCommand(command)
                                    .withArgs(args == null ? List.of() : args)
                                    .withEnv(env(spec, engine))
                                    .withSecurityContext(PodSecurity.container(spec.securityContext))
                                    .withTerminationMessagePath(TERMINATION_LOG)
                                    .withTerminationMessagePolicy("FallbackToLogsOnError")
                                    .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                                    .build())
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * The container's environment: spec.env (sorted, without the names Runway sets), then the
     * engine's variables from the Secret, then DATABASE_URL built from them. Order matters: a
     * {@code $(VAR)} reference expands only to variables defined before it.
     */
    public static List<EnvVar> env(MigrationJobSpec spec, Engine engine) {
        String secret = spec.databaseSecretRef;
        List<EnvVar> db = new ArrayList<>();
        String url;
        if (engine == Engine.MySQL) {
            db.add(fromSecret("MYSQL_HOST", secret, "host"));
            db.add(fromSecret("MYSQL_TCP_PORT", secret, "port"));
            db.add(fromSecret("MYSQL_DATABASE", secret, "database"));
            db.add(fromSecret("MYSQL_USER", secret, "username"));
            db.add(fromSecret("MYSQL_PWD", secret, "password"));
            url = "mysql://$(MYSQL_USER):$(MYSQL_PWD)@$(MYSQL_HOST):$(MYSQL_TCP_PORT)/$(MYSQL_DATABASE)";
        } else {
            db.add(fromSecret("PGHOST", secret, "host"));
            db.add(fromSecret("PGPORT", secret, "port"));
            db.add(fromSecret("PGDATABASE", secret, "database"));
            db.add(fromSecret("PGUSER", secret, "username"));
            db.add(fromSecret("PGPASSWORD", secret, "password"));
            url = "postgresql://$(PGUSER):$(PGPASSWORD)@$(PGHOST):$(PGPORT)/$(PGDATABASE)";
        }
        db.add(plain("DATABASE_URL", url));
        db.add(plain("DATABASE_ENGINE", engine.name()));
        // The root filesystem is read-only: clients that want a home write to the /tmp emptyDir.
        db.add(plain("HOME", "/tmp"));

        List<EnvVar> env = new ArrayList<>();
        if (spec.env != null) {
            // Values are escaped ($$) so a literal "$(X)" in spec.env stays literal.
            new TreeMap<>(spec.env).forEach((k, v) -> {
                if (!RESERVED.contains(k)) {
                    env.add(plain(k, v == null ? "" : v.replace("$(", "$$(")));
                }
            });
        }
        env.addAll(db);
        return env;
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fromSecret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }
}
