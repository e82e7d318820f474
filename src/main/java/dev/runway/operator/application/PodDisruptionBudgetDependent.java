package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Keeps voluntary disruptions (drains) to one pod at a time for Applications with more than one replica. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class PodDisruptionBudgetDependent extends ApplicationChild<PodDisruptionBudget> {

    public PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.workload(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return (app.getSpec().autoscaling != null ? app.getSpec().autoscaling.minReplicas : plan.replicas()) > 1;
    }

    @Override
    public PodDisruptionBudget planned(Application app, ApplicationPlan plan) {
        return build(app, plan);
    }

    @Override
    protected PodDisruptionBudget desired(Application app, Context<Application> context) {
        return build(app, ApplicationPlan.of(context));
    }

    static PodDisruptionBudget build(Application app, ApplicationPlan plan) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                    .withName(ApplicationNames.workload(app))
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, "disruption-budget", plan.environment()))
                .endMetadata()
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(Labels.selector(app)).endSelector()
                .endSpec()
                .build();
    }
}
