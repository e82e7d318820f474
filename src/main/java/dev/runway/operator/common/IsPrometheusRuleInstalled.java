package dev.runway.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Activation condition of PrometheusRule dependents: they (and their informer) exist only while
 * the Prometheus Operator's CRD is installed. The owning reconciler reports the absence in a
 * condition ({@code reason: PrometheusOperatorNotInstalled}) from the same {@link CrdPresence} check.
 */
public class IsPrometheusRuleInstalled<P extends HasMetadata> implements Condition<PrometheusRule, P> {
    @Override
    public boolean isMet(DependentResource<PrometheusRule, P> dependent, P primary, Context<P> context) {
        return CrdPresence.prometheusRules(context.getClient());
    }
}
