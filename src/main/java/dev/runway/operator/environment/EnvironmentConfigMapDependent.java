package dev.runway.operator.environment;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * {@code runway-environment}: the environment's config and FEATURE_* flags, for people and tools
 * that read them in the namespace. Applications do not mount it: their planner merges the same
 * variables into each Application's own ConfigMap, so a change rolls exactly the pods it affects.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class EnvironmentConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, Environment> {

    public EnvironmentConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(Environment env, Context<Environment> context) {
        return build(env, EnvironmentPlan.of(context));
    }

    static ConfigMap build(Environment env, EnvironmentPlan plan) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(Environments.CONFIG_MAP)
                    .withNamespace(plan.namespace())
                    .withLabels(EnvironmentPlan.labels(env, "config"))
                .endMetadata()
                .withData(Environments.variables(env.getSpec()))
                .build();
    }

    /** Only with config or feature flags; removing both deletes the ConfigMap. */
    public static class HasVariables implements Condition<ConfigMap, Environment> {
        @Override
        public boolean isMet(DependentResource<ConfigMap, Environment> dependent, Environment env, Context<Environment> context) {
            return !Environments.variables(env.getSpec()).isEmpty();
        }
    }
}
