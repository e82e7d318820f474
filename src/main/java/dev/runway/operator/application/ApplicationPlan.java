package dev.runway.operator.application;

import java.util.List;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.common.TierDefaults;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Everything a reconcile decided before any child is built: which image runs, the effective
 * environment and its hash, the replica count, and what holds the rollout back. Computed once by
 * {@link ApplicationPlanner}; every dependent's {@code desired()} reads it, so desired state is a
 * pure function of the Application and this plan.
 *
 * @param image           the image the pods run: spec.image, or status.stableImage while {@code hold} holds spec.image
 *                        back (null: nothing serves yet, nothing rolls out)
 * @param hold            why spec.image is not rolled out yet (null when it is): the first {@link Hold} that applies
 * @param env             effective environment variables: the Environment's, overlaid by the Application's
 * @param configHash      hash of env, referenced Secrets' data and generated secret values
 * @param missingSecrets  referenced Secrets that do not exist
 * @param replicas        replica count when there is no autoscaling
 * @param defaults        the Environment tier's defaults
 * @param environment     name of the Environment the namespace belongs to, or null
 * @param restartedAt     value of the restart annotation on the pod template, or null
 * @param rotateSecrets   regenerate every generated secret value in this reconcile
 * @param secretsRotatedAt when the generated values were last rotated, or null if never
 * @param checks          every check of the candidate image and its state (the PromotionReady condition), or null
 *                        when spec.image already serves
 * @param alertLabels     the Environment's spec.alerting.labels, put on every alert rule (empty without)
 * @param refusal         why the pods would be refused by the namespace's Pod Security (application/PodSecurityCheck), or null
 * @param restoredData    a Restore's switch of this Application to a restored database ({@link RestoredData}), or null
 */
public record ApplicationPlan(String image, Hold hold, Map<String, String> env, String configHash,
        List<String> missingSecrets, int replicas, TierDefaults defaults, String environment,
        String restartedAt, boolean rotateSecrets, String secretsRotatedAt, PromotionChecks checks,
        Map<String, String> alertLabels, String refusal, ApplicationStatus.RestoredData restoredData) {

    static final String KEY = ApplicationPlan.class.getName();

    /** Why spec.image is not rolled out yet, or null when it is. */
    public String held() {
        return hold == null ? null : hold.message();
    }

    /** The plan of the reconcile under way. */
    static ApplicationPlan of(Context<Application> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, ApplicationPlan.class);
    }

}
