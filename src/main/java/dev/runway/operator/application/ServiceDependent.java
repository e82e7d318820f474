package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Service in front of the app's pods (the active Service for blue-green). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ServiceDependent extends ApplicationChild<Service> {
    public static final int SERVICE_PORT = 80;

    public ServiceDependent() {
        super(Service.class);
    }

    @Override
    String childName(Application app) {
        return app.getMetadata().getName();
    }

    @Override
    protected Service desired(Application app, Context<Application> context) {
        return build(app, ApplicationPlan.of(context));
    }

    static Service build(Application app, ApplicationPlan plan) {
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(app.getMetadata().getName())
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, "app", plan.environment()))
                .endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.selector(app))
                    .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString("http"))
                        .withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
