package dev.runway.operator.application;

import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import dev.runway.operator.common.PodTemplates;
import dev.runway.operator.monitoring.ServiceMonitors;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Service in front of the app's pods (the active Service for blue-green). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class ServiceDependent extends RevisionSelectedService {
    public static final int SERVICE_PORT = 80;

    @Override
    String childName(Application app) {
        return ApplicationNames.workload(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return !PodTemplates.worker(app.getSpec());
    }

    @Override
    public Service planned(Application app, ApplicationPlan plan) {
        return build(app, plan);
    }

    @Override
    protected Service desired(Application app, Context<Application> context) {
        return keepRevisionKey(app, build(app, ApplicationPlan.of(context)), current(app, context));
    }

    /**
     * A Service's selector is an atomic map: whoever writes it owns all of it. Once Argo Rollouts has
     * narrowed a BlueGreen Service's selector to one revision (its key is there), the selector is
     * Argo's: the desired Service leaves it out, so applying never takes traffic away from the
     * revision Argo made active. (Copying Argo's key into the desired selector did that too, but each
     * of Argo's switches then cost one more apply, to own the selector again beside Argo: 2 of the 11
     * writes of a blue-green Application's creation in the benchmark.)
     */
    static Service keepRevisionKey(Application app, Service desired, Optional<Service> current) {
        if (WorkloadConditions.blueGreen(app) && current.map(s -> s.getSpec().getSelector())
                .filter(s -> s.containsKey(StrategySwitch.ROLLOUT_HASH)).isPresent()) {
            desired.getSpec().setSelector(null);
        }
        return desired;
    }

    static Service build(Application app, ApplicationPlan plan) {
        return build(app, plan, ApplicationNames.workload(app), "app");
    }

    /** A Service selecting the Application's pods; Argo Rollouts narrows the selector to one revision. */
    static Service build(Application app, ApplicationPlan plan, String name, String component) {
        Service service = new ServiceBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, component, plan.environment()))
                .endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.selector(app))
                    .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString("http"))
                        .withProtocol("TCP").endPort()
                .endSpec()
                .build();
        int appPort = PodTemplates.port(app.getSpec());
        if (ServiceMonitors.separatePort(app.getSpec().monitoring, appPort)) {
            int metricsPort = app.getSpec().monitoring.metricsPort;
            service.getSpec().getPorts().add(new ServicePortBuilder().withName(ServiceMonitors.METRICS_PORT)
                    .withPort(metricsPort).withTargetPort(new IntOrString(metricsPort)).withProtocol("TCP").build());
        }
        for (var p : app.getSpec().ports == null ? java.util.List.<dev.runway.operator.api.v1alpha1.ContainerPort>of() : app.getSpec().ports) {
            service.getSpec().getPorts().add(new ServicePortBuilder().withName(p.name).withPort(p.containerPort)
                    .withTargetPort(new IntOrString(p.name)).withProtocol(p.protocol == null ? "TCP" : p.protocol.name()).build());
        }
        return service;
    }
}
