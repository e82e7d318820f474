package dev.runway.operator.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Policies, pods and Jobs as the informers would hold them. */
final class BackupFixtures {
    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private BackupFixtures() {
    }

    static BackupPolicy policy(String spec) {
        BackupPolicy policy = YAML.unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: BackupPolicy
                metadata: {name: shop-db, namespace: shop, uid: 6f1c1a52-0000-4000-8000-000000000001, generation: 1,
                  creationTimestamp: "2026-01-01T00:00:00Z"}
                spec:
                """ + spec.indent(2), BackupPolicy.class);
        return policy;
    }

    static BackupPolicy dailyPolicy() {
        return policy("""
                database: {engine: PostgreSQL, secretRef: shop-db}
                schedule: "0 2 * * *"
                storage: {persistentVolumeClaim: {size: 20Gi}}
                """);
    }

    static BackupPlan plan(Duration staleAfter, boolean monitoring) {
        return new BackupPlan("postgres:16", ZoneOffset.UTC, staleAfter, null, null, null, monitoring);
    }

    /** A finished pod of {@code job} whose container ended with {@code exitCode} and {@code message}. */
    static Pod finishedPod(String job, String component, int exitCode, String message, String finishedAt) {
        String container = BackupNames.VERIFY.equals(component) ? BackupJobs.VERIFY_CONTAINER : BackupJobs.BACKUP_CONTAINER;
        return new PodBuilder()
                .withNewMetadata().withName(job + "-x1").withNamespace("shop")
                    .addToLabels(BackupNames.POLICY_LABEL, "shop-db").addToLabels("app.kubernetes.io/component", component)
                    .addToLabels("batch.kubernetes.io/job-name", job).endMetadata()
                .withNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                    .addNewContainerStatus().withName(container).withNewState().withNewTerminated()
                        .withExitCode(exitCode).withMessage(message).withFinishedAt(finishedAt).endTerminated().endState()
                    .endContainerStatus()
                .endStatus()
                .build();
    }

    static Pod runningPod(String job) {
        return new PodBuilder()
                .withNewMetadata().withName(job + "-r1").withNamespace("shop")
                    .addToLabels(BackupNames.POLICY_LABEL, "shop-db").addToLabels("app.kubernetes.io/component", BackupNames.BACKUP)
                    .addToLabels("batch.kubernetes.io/job-name", job).endMetadata()
                .withNewStatus().withPhase("Running")
                    .addNewContainerStatus().withName(BackupJobs.BACKUP_CONTAINER).withNewState().withNewRunning()
                        .withStartedAt("2026-01-02T02:00:00Z").endRunning().endState().endContainerStatus()
                .endStatus()
                .build();
    }

    static Job failedJob(String name, String component, String reason, String at) {
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace("shop")
                    .addToLabels(BackupNames.POLICY_LABEL, "shop-db").addToLabels("app.kubernetes.io/component", component).endMetadata()
                .withNewStatus().addNewCondition().withType("Failed").withStatus("True").withReason(reason)
                    .withMessage("Job was active longer than specified deadline").withLastTransitionTime(at).endCondition()
                .endStatus()
                .build();
    }

    static String success(String name, String completedAt, int backups) {
        return "{\"result\":\"Succeeded\",\"name\":\"" + name + "\",\"completedAt\":\"" + completedAt
                + "\",\"sizeBytes\":1000,\"sha256\":\"abc\",\"durationSeconds\":3,\"pinned\":false,\"backups\":" + backups + ",\"pruned\":0}";
    }
}
