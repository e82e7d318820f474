package dev.runway.operator.backup;

import java.util.Map;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <policy>-scripts}: the backup, prune and verify scripts the pods run, mounted at /scripts. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR + "," + BackupNames.POLICY_LABEL, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class ScriptsConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, BackupPolicy> {

    public ScriptsConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(BackupPolicy policy, Context<BackupPolicy> context) {
        return build(policy, BackupScripts.all());
    }

    static ConfigMap build(BackupPolicy policy, Map<String, String> scripts) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(BackupNames.scripts(policy))
                    .withNamespace(policy.getMetadata().getNamespace())
                    .withLabels(BackupNames.labels(policy, "scripts"))
                .endMetadata()
                .withData(scripts)
                .build();
    }
}
