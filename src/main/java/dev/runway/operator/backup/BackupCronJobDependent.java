package dev.runway.operator.backup;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** {@code <policy>-backup}: runs backup.sh on spec.schedule. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + "=" + BackupNames.BACKUP, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class BackupCronJobDependent extends CRUDKubernetesDependentResource<CronJob, BackupPolicy> {
    /** A run that could not start within five minutes of its time is skipped (and counted as missed) rather than run late. */
    static final long STARTING_DEADLINE_SECONDS = 300;
    static final int SUCCESSFUL_JOBS_HISTORY = 3;
    static final int FAILED_JOBS_HISTORY = 3;

    public BackupCronJobDependent() {
        super(CronJob.class);
    }

    /** By name: two CronJob dependents share the kind, and desired() cannot be built once spec.verification is gone. */
    @Override
    protected ResourceID targetSecondaryResourceID(BackupPolicy policy, Context<BackupPolicy> context) {
        return new ResourceID(BackupNames.backupCronJob(policy), policy.getMetadata().getNamespace());
    }

    @Override
    protected CronJob desired(BackupPolicy policy, Context<BackupPolicy> context) {
        return build(policy, BackupPlan.of(context).image());
    }

    static CronJob build(BackupPolicy policy, String image) {
        Map<String, String> jobLabels = new LinkedHashMap<>(BackupNames.labels(policy, BackupNames.BACKUP));
        jobLabels.put(BackupNames.TRIGGER_LABEL, "scheduled");
        return cronJob(policy, BackupNames.backupCronJob(policy), BackupNames.BACKUP, policy.getSpec().schedule, jobLabels,
                BackupJobs.backupJobSpec(policy, image, false, "scheduled", jobLabels));
    }

    /** A CronJob of {@code policy} around {@code jobSpec}; shared with the verification CronJob. */
    static CronJob cronJob(BackupPolicy policy, String name, String component, String schedule, Map<String, String> jobLabels,
            JobSpec jobSpec) {
        return new CronJobBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(policy.getMetadata().getNamespace())
                    .withLabels(BackupNames.labels(policy, component))
                .endMetadata()
                .withNewSpec()
                    .withSchedule(schedule.trim())
                    .withTimeZone(policy.getSpec().timeZone)
                    .withSuspend(Boolean.TRUE.equals(policy.getSpec().suspend))
                    // Never two dumps (or a dump and a restore) of one database at once.
                    .withConcurrencyPolicy("Forbid")
                    .withStartingDeadlineSeconds(STARTING_DEADLINE_SECONDS)
                    .withSuccessfulJobsHistoryLimit(SUCCESSFUL_JOBS_HISTORY)
                    .withFailedJobsHistoryLimit(FAILED_JOBS_HISTORY)
                    .withNewJobTemplate()
                        .withNewMetadata().withLabels(jobLabels).endMetadata()
                        .withSpec(jobSpec)
                    .endJobTemplate()
                .endSpec()
                .build();
    }
}
