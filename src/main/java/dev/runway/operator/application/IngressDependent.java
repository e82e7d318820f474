package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Ingress;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Ingress of an Application with spec.ingress, TLS by Secret or cert-manager ClusterIssuer. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class IngressDependent
        extends ApplicationChild<io.fabric8.kubernetes.api.model.networking.v1.Ingress> {
    public static final String CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";

    public IngressDependent() {
        super(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.workload(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return app.getSpec().ingress != null;
    }

    @Override
    public io.fabric8.kubernetes.api.model.networking.v1.Ingress planned(Application app, ApplicationPlan plan) {
        return build(app, plan);
    }

    @Override
    protected io.fabric8.kubernetes.api.model.networking.v1.Ingress desired(Application app, Context<Application> context) {
        return build(app, ApplicationPlan.of(context));
    }

    static io.fabric8.kubernetes.api.model.networking.v1.Ingress build(Application app, ApplicationPlan plan) {
        Ingress spec = app.getSpec().ingress;
        var builder = new IngressBuilder()
                .withNewMetadata()
                    .withName(ApplicationNames.workload(app))
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, "ingress", plan.environment()))
                .endMetadata()
                .withNewSpec()
                    .withIngressClassName(spec.className)
                    .addNewRule().withHost(spec.host)
                        .withNewHttp().addNewPath().withPath(spec.path == null ? "/" : spec.path).withPathType("Prefix")
                            .withNewBackend().withNewService().withName(ApplicationNames.workload(app))
                                .withNewPort().withName("http").endPort().endService().endBackend()
                        .endPath().endHttp()
                    .endRule()
                .endSpec();
        if (spec.tls != null) {
            builder.editSpec().addNewTl().withHosts(spec.host).withSecretName(tlsSecret(app)).endTl().endSpec();
            if (spec.tls.clusterIssuer != null) {
                builder.editMetadata().addToAnnotations(CLUSTER_ISSUER_ANNOTATION, spec.tls.clusterIssuer).endMetadata();
            }
        }
        return builder.build();
    }

    static String tlsSecret(Application app) {
        var tls = app.getSpec().ingress.tls;
        return tls.secretName != null ? tls.secretName : ApplicationNames.tlsSecret(app);
    }

    /** The public URL of the Application: https when TLS is set. */
    static String url(Application app) {
        Ingress spec = app.getSpec().ingress;
        String path = spec.path == null || "/".equals(spec.path) ? "" : spec.path;
        return (spec.tls != null ? "https://" : "http://") + spec.host + path;
    }
}
