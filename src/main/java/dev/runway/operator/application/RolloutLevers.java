package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.EventRecorder;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * What {@code runway.dev/promote} and {@code runway.dev/abort} do to a blue-green Rollout: the same
 * status patches as the Argo Rollouts kubectl plugin's promote and abort.
 */
final class RolloutLevers {
    static final String PROMOTE = Annotations.PROMOTE;
    static final String ABORT = Annotations.ABORT;

    private RolloutLevers() {
    }

    /**
     * @return whether the request is settled (done, or there is nothing it could ever act on) and the
     *         annotation can go; a preview that is still on its way keeps the request pending
     */
    static boolean promote(KubernetesClient client, Application app, Optional<Rollout> rollout, String plannedImage,
            EventRecorder events) {
        boolean waiting = rollout.map(r -> r.getStatus() != null && r.getStatus().getPauseConditions() != null
                && !r.getStatus().getPauseConditions().isEmpty()).orElse(false);
        if (waiting) {
            statusPatch(client, app, "{\"status\":{\"pauseConditions\":null}}");
            events.normal(app, "PromotionRequested", "runway.dev/promote: promoting " + app.getSpec().image + " to the active Service");
            return true;
        }
        if (WorkloadConditions.rolloutHealthy(rollout) && plannedImage.equals(
                rollout.get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())) {
            events.warning(app, "PromoteIgnored", "runway.dev/promote: " + plannedImage + " already serves; nothing waits for promotion");
            return true;
        }
        return false;
    }

    /**
     * runway.dev/promote on a RollingUpdate Application: the approval its Environment requires
     * before spec.image replaces the serving image. The plan lets spec.image through while the
     * annotation is set and only the approval held it; the annotation is removed once the status
     * records the rollout (spec.image heads the history), so a status write that fails cannot lose
     * an approval the Deployment already acted on. An approval given while an earlier check (soak,
     * migration) still holds stays pending until that check passes.
     *
     * @return whether the request is settled and the annotation can go
     */
    static boolean approve(Application app, ApplicationPlan plan, EventRecorder events) {
        String image = app.getSpec().image;
        if (plan.hold() instanceof Hold.Soak || plan.hold() instanceof Hold.Migration) {
            return false;
        }
        if (plan.hold() == null && image.equals(plan.image()) && ApplicationPlanner.approvalRequired(app, plan.defaults())) {
            events.normal(app, "PromotionApproved", "runway.dev/promote: rolling out " + image + " in place of "
                    + app.getStatus().stableImage);
            return false;
        }
        var status = app.getStatus();
        boolean recorded = plan.hold() == null && status != null && !image.equals(status.stableImage) && status.history != null
                && !status.history.isEmpty() && image.equals(status.history.get(0).image);
        if (!recorded) {
            events.warning(app, "PromoteIgnored", "runway.dev/promote: nothing waits for approval ("
                    + (plan.hold() != null ? plan.held() : image + " needs none") + ")");
        }
        return true;
    }

    /** @return whether the request is settled; see {@link #promote}. */
    static boolean abort(KubernetesClient client, Application app, Optional<Rollout> rollout, EventRecorder events) {
        if (rollout.isEmpty()) {
            return false;
        }
        statusPatch(client, app, "{\"status\":{\"abort\":true}}");
        events.warning(app, "AbortRequested", "runway.dev/abort: aborting " + app.getSpec().image + "; the stable revision stays active");
        return true;
    }

    private static void statusPatch(KubernetesClient client, Application app, String patch) {
        client.resources(Rollout.class).inNamespace(app.getMetadata().getNamespace()).withName(ApplicationNames.workload(app))
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
}
