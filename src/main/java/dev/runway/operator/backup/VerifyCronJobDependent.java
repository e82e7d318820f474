package dev.runway.operator.backup;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** {@code <policy>-verify}: runs verify.sh on spec.verification.schedule; deleted when spec.verification is removed. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + "=" + BackupNames.VERIFY, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class VerifyCronJobDependent extends CRUDKubernetesDependentResource<CronJob, BackupPolicy> {

    public VerifyCronJobDependent() {
        super(CronJob.class);
    }

    /** By name: two CronJob dependents share the kind, and desired() cannot be built once spec.verification is gone. */
    @Override
    protected ResourceID targetSecondaryResourceID(BackupPolicy policy, Context<BackupPolicy> context) {
        return new ResourceID(BackupNames.verifyCronJob(policy), policy.getMetadata().getNamespace());
    }

    @Override
    protected CronJob desired(BackupPolicy policy, Context<BackupPolicy> context) {
        return build(policy, BackupPlan.of(context).image());
    }

    static CronJob build(BackupPolicy policy, String image) {
        Map<String, String> jobLabels = new LinkedHashMap<>(BackupNames.labels(policy, BackupNames.VERIFY));
        jobLabels.put(BackupNames.TRIGGER_LABEL, "scheduled");
        return BackupCronJobDependent.cronJob(policy, BackupNames.verifyCronJob(policy), BackupNames.VERIFY,
                policy.getSpec().verification.schedule, jobLabels, BackupJobs.verifyJobSpec(policy, image, jobLabels));
    }

    /** Reconciled only while spec.verification is set. */
    public static class Enabled implements Condition<CronJob, BackupPolicy> {
        @Override
        public boolean isMet(DependentResource<CronJob, BackupPolicy> dependent, BackupPolicy policy, Context<BackupPolicy> context) {
            return policy.getSpec().verification != null;
        }
    }
}
