package dev.runway.operator.environment;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentStatus;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.ConditionFactory.Outcome;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.common.Transition;
import io.fabric8.kubernetes.api.model.Condition;

/** Builds an Environment's status: namespace facts, Application counts, Ready/Reconciling/Stalled. */
public class EnvironmentStatusFactory {
    public static final String NAMESPACE_EXISTS = "NamespaceExists";
    public static final String NAMESPACE_CLAIMED = "NamespaceClaimed";
    public static final String NAMESPACE_TERMINATING = "NamespaceTerminating";
    public static final String READY_REASON = "EnvironmentReady";
    public static final String RECONCILE_FAILED = ConditionFactory.RECONCILE_FAILED;

    private final ConditionFactory conditions;

    public EnvironmentStatusFactory(Clock clock) {
        this.conditions = new ConditionFactory(clock);
    }


    /** Application counts of the namespace. */
    public record AppCounts(int total, int ready) {
    }

    /** Namespace and children converged. */
    EnvironmentStatus ready(Environment env, EnvironmentPlan plan, AppCounts apps) {
        EnvironmentStatus status = base(env);
        status.namespace = plan.namespace();
        status.namespaceCreated = plan.createdNamespace();
        var counts = new EnvironmentStatus.AppCounts();
        counts.total = apps.total();
        counts.ready = apps.ready();
        status.applications = counts;
        status.appsReady = apps.ready() + "/" + apps.total();
        String message = "namespace " + plan.namespace() + (plan.createdNamespace() ? " (created)" : " (adopted)")
                + " converged with pod security " + plan.podSecurity();
        summary(status, env, Outcome.READY, READY_REASON, message);
        return status;
    }

    /** The namespace cannot be used without a human: nothing was written to it. */
    EnvironmentStatus refused(Environment env, String reason, String message) {
        EnvironmentStatus status = base(env);
        clearNamespace(status);
        summary(status, env, Outcome.STALLED, reason, message);
        return status;
    }

    /** Waiting for something that resolves by itself (a namespace being deleted). */
    EnvironmentStatus waiting(Environment env, String reason, String message) {
        EnvironmentStatus status = base(env);
        clearNamespace(status);
        summary(status, env, Outcome.RECONCILING, reason, message);
        return status;
    }

    /** The reconcile failed (API error, permission); it is retried with backoff. Counts are kept. */
    EnvironmentStatus error(Environment env, String message) {
        EnvironmentStatus status = base(env);
        conditions.retrying(status.conditions, message, env.getMetadata().getGeneration());
        return status;
    }

    private EnvironmentStatus base(Environment env) {
        EnvironmentStatus status = StatusSupport.copy(env.getStatus(), EnvironmentStatus.class);
        status = status == null ? new EnvironmentStatus() : status;
        status.observedGeneration = env.getMetadata().getGeneration();
        return status;
    }

    private static void clearNamespace(EnvironmentStatus status) {
        status.namespace = null;
        status.namespaceCreated = null;
        status.applications = null;
        status.appsReady = null;
    }

    private void summary(EnvironmentStatus status, Environment env, Outcome outcome, String reason, String message) {
        conditions.summary(status.conditions, outcome, reason, message, env.getMetadata().getGeneration());
    }

    /** Events for what changed: a new Ready reason (namespace refused, converged, failing). */
    List<Transition> transitions(EnvironmentStatus before, EnvironmentStatus after) {
        List<Transition> out = new ArrayList<>();
        Condition was = before == null ? null : ConditionFactory.find(before.conditions, ConditionFactory.READY).orElse(null);
        Condition now = ConditionFactory.find(after.conditions, ConditionFactory.READY).orElseThrow();
        if (was != null && Objects.equals(was.getReason(), now.getReason()) && Objects.equals(was.getStatus(), now.getStatus())) {
            return out;
        }
        boolean warning = !ConditionFactory.TRUE.equals(now.getStatus()) && !NAMESPACE_TERMINATING.equals(now.getReason());
        out.add(new Transition(warning, now.getReason(), now.getMessage()));
        return out;
    }
}
