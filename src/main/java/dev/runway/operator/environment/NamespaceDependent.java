package dev.runway.operator.environment;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Isolation.PodSecurity;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;

/**
 * The environment's namespace: its environment label and Pod Security labels. Deliberately not
 * garbage-collected and not a Deleter: no ownerReference (the API server would delete the
 * namespace, and everything in it, with the Environment). Deletion is decided by
 * {@link EnvironmentReconciler#cleanup} from deletionPolicy and who created it.
 */
public class NamespaceDependent extends KubernetesDependentResource<Namespace, Environment>
        implements Creator<Namespace, Environment>, Updater<Namespace, Environment> {

    public static final String ENFORCE = "pod-security.kubernetes.io/enforce";
    public static final String WARN = "pod-security.kubernetes.io/warn";
    public static final String AUDIT = "pod-security.kubernetes.io/audit";

    public NamespaceDependent() {
        super(Namespace.class);
    }

    @Override
    protected Namespace desired(Environment env, Context<Environment> context) {
        return build(env, EnvironmentPlan.of(context));
    }

    static Namespace build(Environment env, EnvironmentPlan plan) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.ENVIRONMENT, env.getMetadata().getName());
        labels.put(Labels.MANAGED_BY, Labels.MANAGER);
        labels.putAll(podSecurityLabels(plan.podSecurity()));
        var builder = new NamespaceBuilder().withNewMetadata().withName(plan.namespace()).withLabels(labels).endMetadata();
        if (plan.createdNamespace()) {
            // Kept in every apply: leaving it out would make server-side apply remove it.
            builder.editMetadata().addToAnnotations(NamespaceOwnership.CREATED_BY_ANNOTATION, env.getMetadata().getUid()).endMetadata();
        }
        if (plan.podSecurityBefore() != null) {
            // Written at adoption and kept in every apply, so release can put the levels back.
            builder.editMetadata().addToAnnotations(PodSecurityGuard.BEFORE_ANNOTATION, plan.podSecurityBefore()).endMetadata();
        }
        return builder.build();
    }

    /** enforce, warn and audit at the same level, so what is rejected is also reported. */
    static Map<String, String> podSecurityLabels(PodSecurity level) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ENFORCE, level.name());
        labels.put(WARN, level.name());
        labels.put(AUDIT, level.name());
        return labels;
    }

    /**
     * A plain create, not server-side apply: it fails with 409 if the namespace appeared since the
     * informer last looked, so a namespace someone else just made is never silently taken over.
     * The next reconcile sees it and refuses or adopts it as the spec says.
     */
    @Override
    public Namespace create(Namespace desired, Environment env, Context<Environment> context) {
        return context.getClient().resource(desired).create();
    }

    /** Neither an ownerReference nor JOSDK's primary annotations: the namespace outlives the Environment. */
    @Override
    protected void addReferenceHandlingMetadata(Namespace desired, Environment env) {
        // intentionally nothing
    }
}
