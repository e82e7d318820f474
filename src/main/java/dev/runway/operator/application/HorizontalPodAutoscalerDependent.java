package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Autoscaling;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The HPA of an Application with spec.autoscaling; it then owns the workload's replica count. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class HorizontalPodAutoscalerDependent extends ApplicationChild<HorizontalPodAutoscaler> {

    public HorizontalPodAutoscalerDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.workload(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return app.getSpec().autoscaling != null;
    }

    @Override
    public HorizontalPodAutoscaler planned(Application app, ApplicationPlan plan) {
        return build(app, plan, WorkloadConditions.usesRollout(app) ? "argoproj.io/v1alpha1" : "apps/v1",
                WorkloadConditions.usesRollout(app) ? "Rollout" : "Deployment");
    }

    @Override
    protected HorizontalPodAutoscaler desired(Application app, Context<Application> context) {
        return planned(app, ApplicationPlan.of(context));
    }

    static HorizontalPodAutoscaler build(Application app, ApplicationPlan plan, String targetApiVersion, String targetKind) {
        Autoscaling a = app.getSpec().autoscaling;
        List<MetricSpec> metrics = new ArrayList<>();
        if (a.targetCPUUtilizationPercentage != null) {
            metrics.add(utilization("cpu", a.targetCPUUtilizationPercentage));
        }
        if (a.targetMemoryUtilizationPercentage != null) {
            metrics.add(utilization("memory", a.targetMemoryUtilizationPercentage));
        }
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                    .withName(ApplicationNames.workload(app))
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, "autoscaler", plan.environment()))
                .endMetadata()
                .withNewSpec()
                    .withNewScaleTargetRef().withApiVersion(targetApiVersion).withKind(targetKind)
                        .withName(ApplicationNames.workload(app)).endScaleTargetRef()
                    .withMinReplicas(a.minReplicas)
                    .withMaxReplicas(a.maxReplicas)
                    .withMetrics(metrics)
                .endSpec()
                .build();
    }

    private static MetricSpec utilization(String resource, int percent) {
        return new MetricSpecBuilder().withType("Resource")
                .withNewResource().withName(resource)
                    .withNewTarget().withType("Utilization").withAverageUtilization(percent).endTarget()
                .endResource().build();
    }
}
