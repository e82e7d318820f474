package dev.runway.operator.application;

import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Strategy;
import dev.runway.operator.common.CrdPresence;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Which workload an Application has. Switching strategy keeps the old workload until the new one
 * serves: RollingUpdate → BlueGreen keeps the Deployment until the Rollout is Healthy (Argo then
 * owns the Service selector); BlueGreen → RollingUpdate keeps the Rollout until the Deployment is
 * available, and {@link StrategySwitch} retires it.
 */
final class WorkloadConditions {
    private WorkloadConditions() {
    }

    static boolean blueGreen(Application app) {
        return app.getSpec().strategy != null && app.getSpec().strategy.type == Strategy.Type.BlueGreen;
    }

    static boolean canary(Application app) {
        return app.getSpec().strategy != null && app.getSpec().strategy.type == Strategy.Type.Canary;
    }

    /** BlueGreen and Canary run on an Argo Rollout; RollingUpdate on a Deployment. */
    static boolean usesRollout(Application app) {
        return blueGreen(app) || canary(app);
    }

    static Optional<Rollout> rollout(Context<Application> context) {
        if (!CrdPresence.argoRollouts(context.getClient())) {
            return Optional.empty();
        }
        try {
            return context.getSecondaryResource(Rollout.class);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The Rollout informer is registered once the CRD is seen; until then there is none.
            return Optional.empty();
        }
    }

    /**
     * The Rollout's current revision is healthy and stable; for blue-green also the one the active
     * Service selects.
     */
    static boolean rolloutHealthy(Optional<Rollout> rollout) {
        return rollout.map(r -> r.getStatus() != null && "Healthy".equals(r.getStatus().getPhase())
                && r.getStatus().getCurrentPodHash() != null
                && r.getStatus().getCurrentPodHash().equals(r.getStatus().getStableRS())
                && (r.getSpec().getStrategy() != null && r.getSpec().getStrategy().getCanary() != null
                        || r.getStatus().getBlueGreen() != null
                                && r.getStatus().getCurrentPodHash().equals(r.getStatus().getBlueGreen().getActiveSelector())))
                .orElse(false);
    }

    static boolean deploymentAvailable(Optional<Deployment> deployment) {
        return deployment.map(d -> d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
                && d.getStatus().getAvailableReplicas() > 0
                && d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()).orElse(false);
    }

    /** The Deployment: for RollingUpdate, and during a switch to BlueGreen until the Rollout serves. */
    public static class DeploymentNeeded implements Condition<Deployment, Application> {
        @Override
        public boolean isMet(DependentResource<Deployment, Application> d, Application app, Context<Application> context) {
            if (!usesRollout(app)) {
                return true;
            }
            return context.getSecondaryResource(Deployment.class).isPresent() && !rolloutHealthy(rollout(context));
        }
    }

    /** The Rollout: for BlueGreen, and during a switch back until the Deployment serves. */
    public static class RolloutNeeded<R extends HasMetadata> implements Condition<R, Application> {
        @Override
        public boolean isMet(DependentResource<R, Application> d, Application app, Context<Application> context) {
            if (usesRollout(app)) {
                return true;
            }
            return rollout(context).isPresent() && !deploymentAvailable(context.getSecondaryResource(Deployment.class));
        }
    }

    /** The preview Service: as the Rollout for BlueGreen; a canary has none (it is deleted on a switch to Canary). */
    public static class PreviewNeeded<R extends HasMetadata> extends RolloutNeeded<R> {
        @Override
        public boolean isMet(DependentResource<R, Application> d, Application app, Context<Application> context) {
            return !canary(app) && super.isMet(d, app, context);
        }
    }

    /** Argo Rollouts' kinds are used only once their CRDs exist; JOSDK then starts their informers. */
    public static class ArgoRolloutsInstalled<R extends HasMetadata> implements Condition<R, Application> {
        @Override
        public boolean isMet(DependentResource<R, Application> d, Application app, Context<Application> context) {
            return CrdPresence.argoRollouts(context.getClient());
        }
    }
}
