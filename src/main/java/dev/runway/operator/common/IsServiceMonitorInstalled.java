package dev.runway.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Activation condition of ServiceMonitor dependents, the counterpart of {@link IsPrometheusRuleInstalled}:
 * the dependent and its informer exist only while the Prometheus Operator's ServiceMonitor CRD is served.
 */
public class IsServiceMonitorInstalled<P extends HasMetadata> implements Condition<ServiceMonitor, P> {
    @Override
    public boolean isMet(DependentResource<ServiceMonitor, P> dependent, P primary, Context<P> context) {
        return CrdPresence.serviceMonitors(context.getClient());
    }
}
