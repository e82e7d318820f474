package dev.runway.operator.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.monitoring.AlertRules;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The children the operator's own dependents build for an Application without an Environment,
 * in the order its workflow applies them, for the benchmark's floor (a bare client creating the
 * same objects) and the point at which the floor counts a workload as rolled out.
 */
public final class BenchChildren {

    private BenchChildren() {
    }

    /** ConfigMap, generated Secret, Services, the Deployment or Rollout, HPA and PrometheusRule, as the operator builds them. */
    public static List<HasMetadata> of(Application app) {
        ApplicationPlan plan = plan(app);
        boolean blueGreen = WorkloadConditions.blueGreen(app);
        List<HasMetadata> out = new ArrayList<>();
        out.add(ConfigMapDependent.build(app, plan));
        if (app.getSpec().generatedSecrets != null && !app.getSpec().generatedSecrets.isEmpty()) {
            out.add(GeneratedSecretDependent.build(app, plan, Map.of()));
        }
        out.add(ServiceDependent.build(app, plan));
        if (blueGreen) {
            out.add(ServiceDependent.build(app, plan, ApplicationNames.preview(app), "preview"));
            out.add(RolloutDependent.build(app, plan));
        } else {
            out.add(DeploymentDependent.build(app, plan));
        }
        if (app.getSpec().autoscaling != null) {
            out.add(HorizontalPodAutoscalerDependent.build(app, plan, blueGreen ? "argoproj.io/v1alpha1" : "apps/v1",
                    blueGreen ? "Rollout" : "Deployment"));
        }
        if (PrometheusRuleDependent.wanted(app)) {
            out.add(PrometheusRuleDependent.build(app, plan, AlertRules.MetricNames.DEFAULTS));
        }
        return out;
    }

    /** Whether {@code workload} (this Application's Deployment or Rollout) is rolled out by the test the operator's Ready uses. */
    public static boolean rolledOut(Application app, HasMetadata workload) {
        boolean autoscaled = app.getSpec().autoscaling != null;
        return workload instanceof Rollout rollout ? WorkloadState.of(rollout, plan(app), autoscaled).rolledOut()
                : WorkloadState.of(Optional.ofNullable((Deployment) workload), plan(app), autoscaled).rolledOut();
    }

    private static ApplicationPlan plan(Application app) {
        return ApplicationPlanner.plan(app, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Instant.now(), ApplicationDesiredStateTest.GOLDEN_HASH_KEY);
    }
}
