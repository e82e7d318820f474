package dev.runway.operator.application;

import jakarta.inject.Inject;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import dev.runway.operator.common.RunwayConfig;
import dev.runway.operator.monitoring.AlertRules;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <app>-slo}: the SLO alert rules of an Application with spec.monitoring.alerts (see {@link AlertRules}). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class PrometheusRuleDependent extends ApplicationChild<PrometheusRule> {
    @Inject
    RunwayConfig config;

    public PrometheusRuleDependent() {
        super(PrometheusRule.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.alertRules(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return wanted(app);
    }

    @Override
    public PrometheusRule planned(Application app, ApplicationPlan plan) {
        return build(app, plan, new AlertRules.MetricNames(config.monitoring().requestsMetric(), config.monitoring().latencyMetric()));
    }

    @Override
    protected PrometheusRule desired(Application app, Context<Application> context) {
        return planned(app, ApplicationPlan.of(context));
    }

    static PrometheusRule build(Application app, ApplicationPlan plan, AlertRules.MetricNames metrics) {
        var target = new AlertRules.Target(app.getMetadata().getNamespace(), app.getMetadata().getName(),
                Labels.standard(app, "alerts", plan.environment()), plan.alertLabels(), WorkloadConditions.usesRollout(app),
                app.getSpec().monitoring.alerts);
        return AlertRules.build(target, metrics);
    }

    static boolean wanted(Application app) {
        var m = app.getSpec().monitoring;
        return m != null && m.alerts != null;
    }
}
