package dev.runway.operator.backup;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicySpec;
import dev.runway.operator.api.v1alpha1.BackupPolicySpec.Database.Engine;
import dev.runway.operator.common.PodTemplates;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;

/**
 * Builds the backup and verification Jobs of a BackupPolicy: the job templates of its CronJobs and
 * the on-demand backup Jobs (runway.dev/backup-now, and pinned backups before migrations) come from
 * the same functions, so every backup runs the same pod. Pure: nothing here talks to the API server.
 *
 * <p>The pods run {@code bash /scripts/backup.sh} (or verify.sh) from the {@code <policy>-scripts}
 * ConfigMap with the backup PVC at /backups, as UID/GID 10001 under the restricted Pod Security
 * profile. Database credentials reach them only as {@code secretKeyRef}s to spec.database.secretRef.
 */
@ApplicationScoped
public class BackupJobs {
    public static final String BACKUP_CONTAINER = "backup";
    public static final String VERIFY_CONTAINER = "verify";
    public static final String RESTORE_CONTAINER = "restore";
    /** Why a backup was taken (BACKUP_REASON), on on-demand Jobs. */
    public static final String REASON_ANNOTATION = Annotations.BACKUP_REASON;
    public static final String BACKUP_DIR = "/backups";
    public static final String TERMINATION_LOG = "/dev/termination-log";
    /** The non-root user and group of backup pods; fsGroup makes the PVC writable for them. */
    public static final long RUN_AS = 10001L;
    static final int DEFAULT_TIMEOUT_SECONDS = 3600;
    /** Finished on-demand Jobs are deleted after a week; their results stay in the policy's status. */
    static final int ON_DEMAND_TTL_SECONDS = 7 * 24 * 3600;

    private final BackupConfig config;

    public BackupJobs(BackupConfig config) {
        this.config = config;
    }

    /**
     * An on-demand backup Job of {@code policy}, to be created (once) by the caller. It is owned by
     * the policy, carries the policy's labels (so its result lands in the policy's status) plus
     * {@code extraLabels}, and is deleted by Kubernetes a week after it finished.
     *
     * @param jobName     the Job's name (at most 63 characters); callers derive it from what triggered them
     * @param pin         keep this backup forever (retention never prunes pinned backups)
     * @param reason      BACKUP_REASON, e.g. "before migration shop-v42"; recorded with the backup
     * @param extraLabels more labels for the Job and its pod, e.g. the MigrationJob it belongs to
     */
    public Job onDemand(BackupPolicy policy, String jobName, boolean pin, String reason, Map<String, String> extraLabels) {
        return onDemand(policy, image(policy), jobName, pin, reason, extraLabels);
    }

    /** The environment variable that ends a backup's pin (backup.sh writes it into the manifest). */
    public static final String PIN_UNTIL = "BACKUP_PIN_UNTIL";

    /** {@code job} (a pinned on-demand backup) with its pin ending at {@code until}. */
    public static Job endPin(Job job, Instant until) {
        job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .add(plain(PIN_UNTIL, until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
        return job;
    }

    /** When the pin of backup Job {@code job} ends, if it was given an end. */
    public static Optional<String> pinEnd(Job job) {
        return Optional.ofNullable(job.getSpec()).map(s -> s.getTemplate()).map(t -> t.getSpec()).stream()
                .flatMap(p -> p.getContainers().stream())
                .flatMap(c -> c.getEnv() == null ? java.util.stream.Stream.empty() : c.getEnv().stream())
                .filter(e -> PIN_UNTIL.equals(e.getName())).map(e -> e.getValue()).findFirst();
    }

    /** The image backup pods of {@code policy} run: spec.image, else the operator's default for the engine. */
    public String image(BackupPolicy policy) {
        BackupPolicySpec spec = policy.getSpec();
        if (spec.image != null && !spec.image.isBlank()) {
            return spec.image;
        }
        return spec.database.engine == Engine.MySQL ? config.mysqlImage() : config.image();
    }

    static Job onDemand(BackupPolicy policy, String image, String jobName, boolean pin, String requestedReason,
            Map<String, String> extraLabels) {
        String reason = requestedReason == null || requestedReason.isBlank() ? "on-demand" : requestedReason;
        Map<String, String> labels = new LinkedHashMap<>(BackupNames.labels(policy, BackupNames.BACKUP));
        labels.put(BackupNames.TRIGGER_LABEL, "manual");
        if (extraLabels != null) {
            labels.putAll(extraLabels);
        }
        JobSpec spec = backupJobSpec(policy, image, pin, reason, labels);
        spec.setTtlSecondsAfterFinished(ON_DEMAND_TTL_SECONDS);
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName)
                    .withNamespace(policy.getMetadata().getNamespace())
                    .withLabels(labels)
                    .addToAnnotations(REASON_ANNOTATION, reason)
                    .addToOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(policy.getApiVersion()).withKind(policy.getKind())
                            .withName(policy.getMetadata().getName()).withUid(policy.getMetadata().getUid())
                            .withController(true).build())
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    /** What a backup Job runs: backup.sh, then pruning by retention. */
    static JobSpec backupJobSpec(BackupPolicy policy, String image, boolean pin, String reason, Map<String, String> podLabels) {
        List<EnvVar> env = commonEnv(policy);
        env.add(plain("BACKUP_PIN", String.valueOf(pin)));
        env.add(plain("BACKUP_REASON", reason));
        env.add(plain("BACKUP_PRUNE", "true"));
        Retention r = Retention.of(policy.getSpec().retention);
        env.add(plain("RETENTION_KEEP_LAST", String.valueOf(r.last())));
        env.add(plain("RETENTION_KEEP_DAILY", String.valueOf(r.daily())));
        env.add(plain("RETENTION_KEEP_WEEKLY", String.valueOf(r.weekly())));
        env.add(plain("RETENTION_KEEP_MONTHLY", String.valueOf(r.monthly())));
        int timeout = policy.getSpec().timeoutSeconds != null ? policy.getSpec().timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
        return jobSpec(policy, image, BACKUP_CONTAINER, "backup.sh", env, podLabels, timeout);
    }

    /**
     * A restore Job: restore.sh with the policy's volume, scripts and database Secret, plus the
     * RESTORE_* variables in {@code restoreEnv}; owned by {@code owner} (the Restore), carrying
     * {@code labels} (the policy's label among them, so other Jobs of the policy wait for it). Never
     * retried: a restore that failed is looked at, not repeated.
     */
    public Job restoreJob(BackupPolicy policy, String jobName, Map<String, String> restoreEnv, Map<String, String> labels,
            HasMetadata owner, Integer timeoutSeconds) {
        List<EnvVar> env = commonEnv(policy);
        restoreEnv.forEach((k, v) -> env.add(plain(k, v)));
        int timeout = timeoutSeconds != null ? timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName)
                    .withNamespace(policy.getMetadata().getNamespace())
                    .withLabels(labels)
                    .addToOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                            .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(jobSpec(policy, image(policy), RESTORE_CONTAINER, "restore.sh", env, labels, timeout))
                .build();
    }

    /** What a verification Job runs: verify.sh restores the newest backup (VERIFY_BACKUP=latest) into a scratch database. */
    static JobSpec verifyJobSpec(BackupPolicy policy, String image, Map<String, String> podLabels) {
        List<EnvVar> env = commonEnv(policy);
        env.add(plain("VERIFY_BACKUP", "latest"));
        var verification = policy.getSpec().verification;
        int timeout = verification != null && verification.timeoutSeconds != null ? verification.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
        return jobSpec(policy, image, VERIFY_CONTAINER, "verify.sh", env, podLabels, timeout);
    }

    private static JobSpec jobSpec(BackupPolicy policy, String image, String container, String script, List<EnvVar> env,
            Map<String, String> podLabels, int timeoutSeconds) {
        return new JobSpecBuilder()
                // One attempt: a failed dump is reported, not retried into a pile of partial files.
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds((long) timeoutSeconds)
                .withTemplate(pod(policy, image, container, script, env, podLabels))
                .build();
    }

    private static PodTemplateSpec pod(BackupPolicy policy, String image, String container, String script, List<EnvVar> env,
            Map<String, String> labels) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never")
                    .withAutomountServiceAccountToken(false)
                    .withNewSecurityContext()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(RUN_AS)
                        .withRunAsGroup(RUN_AS)
                        .withFsGroup(RUN_AS)
                        .withFsGroupChangePolicy("OnRootMismatch")
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                    .withContainers(new ContainerBuilder()
                            .withName(container)
                            .withImage(image)
                            .withCommand("bash", BackupScripts.MOUNT_PATH + "/" + script)
                            .withEnv(env)
                            .withSecurityContext(PodTemplates.restrictedContainerSecurity())
                            .withTerminationMessagePath(TERMINATION_LOG)
                            .withTerminationMessagePolicy("FallbackToLogsOnError")
                            .addNewVolumeMount().withName("scripts").withMountPath(BackupScripts.MOUNT_PATH).withReadOnly(true).endVolumeMount()
                            .addNewVolumeMount().withName("backups").withMountPath(BACKUP_DIR).endVolumeMount()
                            .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                            .build())
                    .addNewVolume().withName("scripts").withNewConfigMap().withName(BackupNames.scripts(policy)).endConfigMap().endVolume()
                    .addNewVolume().withName("backups").withNewPersistentVolumeClaim().withClaimName(BackupNames.pvc(policy))
                        .endPersistentVolumeClaim().endVolume()
                    .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .build();
    }

    /** Connection and paths; the credentials stay in the Secret (secretKeyRef), never in the Job. */
    private static List<EnvVar> commonEnv(BackupPolicy policy) {
        String secret = policy.getSpec().database.secretRef;
        List<EnvVar> env = new ArrayList<>();
        env.add(plain("DB_ENGINE", policy.getSpec().database.engine.name()));
        env.add(fromSecret("DB_HOST", secret, "host"));
        env.add(fromSecret("DB_PORT", secret, "port"));
        env.add(fromSecret("DB_NAME", secret, "database"));
        env.add(fromSecret("DB_USER", secret, "username"));
        env.add(fromSecret("DB_PASSWORD", secret, "password"));
        env.add(plain("BACKUP_DIR", BACKUP_DIR));
        env.add(plain("TERMINATION_LOG", TERMINATION_LOG));
        // The root filesystem is read-only: database clients that want a home write to the emptyDir.
        env.add(plain("HOME", "/tmp"));
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

    /** Effective retention: unset counts are 0; no retention at all keeps 7 daily, 4 weekly and 6 monthly backups. */
    record Retention(int last, int daily, int weekly, int monthly) {
        static final Retention DEFAULT = new Retention(0, 7, 4, 6);

        static Retention of(BackupPolicySpec.Retention r) {
            if (r == null) {
                return DEFAULT;
            }
            return new Retention(zeroIfUnset(r.keepLast), zeroIfUnset(r.keepDaily), zeroIfUnset(r.keepWeekly), zeroIfUnset(r.keepMonthly));
        }

        private static int zeroIfUnset(Integer value) {
            return value == null ? 0 : value;
        }
    }
}
