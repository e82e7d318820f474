package dev.runway.operator.environment;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Isolation.PodSecurity;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.TierDefaults;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What a reconcile decided before any child is built: the namespace, whether this Environment
 * created it, the Pod Security level (spec or tier default) and, for an adopted namespace, the
 * levels it had before ({@link PodSecurityGuard}; null for a created one). Dependents read it, so their
 * {@code desired()} stays a pure function of the Environment and this plan.
 */
public record EnvironmentPlan(String namespace, boolean createdNamespace, PodSecurity podSecurity, String podSecurityBefore) {

    static final String KEY = EnvironmentPlan.class.getName();

    public EnvironmentPlan(String namespace, boolean createdNamespace, PodSecurity podSecurity) {
        this(namespace, createdNamespace, podSecurity, null);
    }

    static EnvironmentPlan of(Environment env, NamespaceOwnership ownership) {
        return of(env, ownership, null);
    }

    static EnvironmentPlan of(Environment env, NamespaceOwnership ownership, String podSecurityBefore) {
        return new EnvironmentPlan(Environments.namespaceOf(env), ownership.created(),
                TierDefaults.of(env.getSpec()).podSecurity(), ownership.created() ? null : podSecurityBefore);
    }

    static EnvironmentPlan of(Context<Environment> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, EnvironmentPlan.class);
    }

    /** The labels of every object the Environment makes in its namespace. */
    static Map<String, String> labels(Environment env, String component) {
        Map<String, String> labels = new LinkedHashMap<>(Labels.standard(env, component));
        labels.put(Labels.ENVIRONMENT, env.getMetadata().getName());
        return labels;
    }
}
