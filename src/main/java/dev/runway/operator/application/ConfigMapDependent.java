package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <app>-env}: the effective environment (the Environment's variables overlaid by spec.env). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class ConfigMapDependent extends ApplicationChild<ConfigMap> {

    public ConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.configMap(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return true;
    }

    @Override
    public ConfigMap planned(Application app, ApplicationPlan plan) {
        return build(app, plan);
    }

    @Override
    protected ConfigMap desired(Application app, Context<Application> context) {
        return build(app, ApplicationPlan.of(context));
    }

    static ConfigMap build(Application app, ApplicationPlan plan) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(ApplicationNames.configMap(app))
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, "config", plan.environment()))
                .endMetadata()
                // An empty map would be dropped by the API server and then differ on every comparison.
                .withData(plan.env().isEmpty() ? null : plan.env())
                .build();
    }
}
