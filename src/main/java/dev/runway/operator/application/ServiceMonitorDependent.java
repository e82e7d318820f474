package dev.runway.operator.application;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import dev.runway.operator.common.PodTemplates;
import dev.runway.operator.monitoring.ServiceMonitors;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The ServiceMonitor of an Application with spec.monitoring.serviceMonitor: true. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class ServiceMonitorDependent extends ApplicationChild<ServiceMonitor> {

    public ServiceMonitorDependent() {
        super(ServiceMonitor.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.workload(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return wanted(app);
    }

    @Override
    public ServiceMonitor planned(Application app, ApplicationPlan plan) {
        return build(app, plan);
    }

    @Override
    protected ServiceMonitor desired(Application app, Context<Application> context) {
        return build(app, ApplicationPlan.of(context));
    }

    static ServiceMonitor build(Application app, ApplicationPlan plan) {
        // The active Service only: the preview Service of a blue-green app selects the same pods.
        Map<String, String> service = new LinkedHashMap<>();
        service.put(Labels.INSTANCE, app.getMetadata().getName());
        service.put(Labels.COMPONENT, "app");
        return ServiceMonitors.build(app.getMetadata().getNamespace(), app.getMetadata().getName(),
                Labels.standard(app, "monitoring", plan.environment()), service, app.getSpec().monitoring,
                PodTemplates.port(app.getSpec()));
    }

    static boolean wanted(Application app) {
        var m = app.getSpec().monitoring;
        return m != null && Boolean.TRUE.equals(m.serviceMonitor);
    }
}
