package dev.runway.operator.backup;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicySpec;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * {@code <policy>-backups}: the volume the backups live on. It is deliberately neither owned by the
 * policy nor deleted by the operator: deleting a BackupPolicy (or uninstalling Runway) keeps every
 * backup. Delete the PVC by hand to drop them; a policy of the same name adopts it again. A larger
 * spec size is applied (when the StorageClass allows expansion); the schema forbids shrinking it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR + "," + BackupNames.POLICY_LABEL, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class BackupPvcDependent extends KubernetesDependentResource<PersistentVolumeClaim, BackupPolicy>
        implements Creator<PersistentVolumeClaim, BackupPolicy>, Updater<PersistentVolumeClaim, BackupPolicy> {
    /** Says on the PVC itself why it is still there after its policy is gone. */
    public static final String RETAINED_ANNOTATION = Annotations.RETAINED;

    public BackupPvcDependent() {
        super(PersistentVolumeClaim.class);
    }

    @Override
    protected PersistentVolumeClaim desired(BackupPolicy policy, Context<BackupPolicy> context) {
        return build(policy);
    }

    /** No owner reference: garbage collection must never take the backups with the policy. */
    @Override
    protected boolean addOwnerReference() {
        return false;
    }

    static PersistentVolumeClaim build(BackupPolicy policy) {
        BackupPolicySpec.Pvc pvc = policy.getSpec().storage.persistentVolumeClaim;
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                    .withName(BackupNames.pvc(policy))
                    .withNamespace(policy.getMetadata().getNamespace())
                    .withLabels(BackupNames.labels(policy, "backups"))
                    .withAnnotations(Map.of(RETAINED_ANNOTATION,
                            "kept when BackupPolicy " + policy.getMetadata().getName() + " is deleted; delete this PVC to drop its backups"))
                .endMetadata()
                .withNewSpec()
                    .withAccessModes("ReadWriteOnce")
                    .withStorageClassName(pvc.storageClassName)
                    .withNewResources().addToRequests("storage", pvc.size).endResources()
                .endSpec()
                .build();
    }
}
