package dev.runway.operator.application;

import java.util.List;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.TierDefaults;
import dev.runway.operator.environment.PromotionGate;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Everything a reconcile decided before any child is built: which image runs, the effective
 * environment and its hash, the replica count, and what holds the rollout back. Computed once by
 * {@link ApplicationPlanner}; every dependent's {@code desired()} reads it, so desired state is a
 * pure function of the Application and this plan.
 *
 * @param image           the image the pods run: spec.image, or the last good one while the new one is held
 * @param held            why spec.image is not rolled out yet (null when it is)
 * @param env             effective environment variables: the Environment's, overlaid by the Application's
 * @param configHash      hash of env, referenced Secrets' data and generated secret values
 * @param missingSecrets  referenced Secrets that do not exist
 * @param replicas        replica count when there is no autoscaling
 * @param defaults        the Environment tier's defaults
 * @param environment     name of the Environment the namespace belongs to, or null
 * @param restartedAt     value of the restart annotation on the pod template, or null
 * @param rotateSecrets   regenerate every generated secret value in this reconcile
 * @param secretsRotatedAt when the generated values were last rotated, or null if never
 * @param promotionHold   why spec.image waits for promotion evidence (environment/PromotionGate), or null;
 *                        when set, image is status.stableImage (null: nothing to roll out yet) and held its message
 * @param alertLabels     the Environment's spec.alerting.labels, put on every alert rule (empty without)
 * @param refusal         why the pods would be refused by the namespace's Pod Security (application/PodSecurityCheck), or null
 */
public record ApplicationPlan(String image, String held, Map<String, String> env, String configHash,
        List<String> missingSecrets, int replicas, TierDefaults defaults, String environment,
        String restartedAt, boolean rotateSecrets, String secretsRotatedAt, PromotionGate.Hold promotionHold,
        Map<String, String> alertLabels, String refusal) {

    static final String KEY = ApplicationPlan.class.getName();

    /** This plan with spec.image held back: {@code image} (the serving one, or null) runs instead, for {@code why}. */
    public ApplicationPlan holding(String image, String why) {
        return new ApplicationPlan(image, why, env, configHash, missingSecrets, replicas, defaults, environment, restartedAt,
                rotateSecrets, secretsRotatedAt, promotionHold, alertLabels, refusal);
    }

    /** The plan of the reconcile under way. */
    static ApplicationPlan of(Context<Application> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, ApplicationPlan.class);
    }

}
