package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Keeps voluntary disruptions (drains) to one pod at a time for Applications with more than one replica. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class PodDisruptionBudgetDependent extends ApplicationChild<PodDisruptionBudget> {

    public PodDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.workload(app);
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

    /** A PDB only makes sense with more than one pod: with one it would block every drain. */
    public static class Needed implements Condition<PodDisruptionBudget, Application> {
        @Override
        public boolean isMet(DependentResource<PodDisruptionBudget, Application> dependent, Application app,
                Context<Application> context) {
            var spec = app.getSpec();
            int fewest = spec.autoscaling != null ? spec.autoscaling.minReplicas : ApplicationPlan.of(context).replicas();
            return fewest > 1;
        }
    }
}
