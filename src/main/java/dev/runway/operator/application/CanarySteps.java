package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.Strategy;
import io.argoproj.v1alpha1.Rollout;
import io.argoproj.v1alpha1.rolloutspec.strategy.canary.Steps;
import io.argoproj.v1alpha1.rolloutspec.strategy.canary.steps.Pause;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * The steps of a Canary Application's Rollout, both ways: from spec.strategy.canary (with the
 * approval pause its Environment asks for) to Argo's steps, and from the Rollout's steps and
 * currentStepIndex back to what status.canary says.
 *
 * <p>Approval: when the Environment requires it, the Rollout's first step is a pause without a
 * duration. Argo runs no step on a Rollout's first revision; on later ones the new revision's
 * ReplicaSet stays at 0 pods (no setWeight yet) until runway.dev/promote clears the pause, so no
 * pod of the new image takes traffic before approval.
 */
final class CanarySteps {
    private final List<Steps> steps;

    private CanarySteps(List<Steps> steps) {
        this.steps = steps;
    }

    /** The Rollout's canary steps, or null for a blue-green Rollout. */
    static CanarySteps of(Rollout rollout) {
        var strategy = rollout.getSpec() == null ? null : rollout.getSpec().getStrategy();
        if (strategy == null || strategy.getCanary() == null) {
            return null;
        }
        var steps = strategy.getCanary().getSteps();
        return new CanarySteps(steps == null ? List.of() : steps);
    }

    /** Argo's steps for spec.strategy.canary: an approval pause first when approval is required. */
    static List<Steps> build(Application app, Strategy.Canary canary, boolean approvalRequired) {
        List<Steps> out = new ArrayList<>();
        if (approvalRequired) {
            Steps approval = new Steps();
            approval.setPause(new Pause());
            out.add(approval);
        }
        for (Strategy.CanaryStep step : canary.steps) {
            Steps s = new Steps();
            if (step.setWeight != null) {
                s.setSetWeight(step.setWeight);
            } else if (step.pause != null) {
                Pause pause = new Pause();
                if (step.pause.seconds != null) {
                    pause.setDuration(new IntOrString(step.pause.seconds));
                }
                s.setPause(pause);
            } else if (Boolean.TRUE.equals(step.analysis)) {
                s.setAnalysis(AnalysisTemplates.canaryStep(app));
            }
            out.add(s);
        }
        return out;
    }

    /** The pause at {@code index} has no duration: it waits for runway.dev/promote. */
    boolean waitsForPromotion(Integer index) {
        Steps step = at(index);
        return step != null && step.getPause() != null && step.getPause().getDuration() == null;
    }

    ApplicationStatus.CanaryProgress progress(String image, Integer index) {
        int done = index == null ? 0 : index;
        ApplicationStatus.CanaryProgress p = new ApplicationStatus.CanaryProgress();
        p.image = image;
        p.step = done;
        p.steps = steps.size();
        int weight = 0;
        for (int i = 0; i < Math.min(done, steps.size()); i++) {
            if (steps.get(i).getSetWeight() != null) {
                weight = steps.get(i).getSetWeight();
            }
        }
        Steps current = at(done);
        if (current != null && current.getSetWeight() != null) {
            weight = current.getSetWeight();
        }
        p.weight = done >= steps.size() ? 100 : weight;
        p.current = describe(current);
        return p;
    }

    private Steps at(Integer index) {
        int i = index == null ? 0 : index;
        return i >= 0 && i < steps.size() ? steps.get(i) : null;
    }

    static String describe(Steps step) {
        if (step == null) {
            return "taking all pods";
        }
        if (step.getSetWeight() != null) {
            return "setWeight " + step.getSetWeight();
        }
        if (step.getPause() != null) {
            return step.getPause().getDuration() == null ? "pause until " + RolloutLevers.PROMOTE
                    : "pause " + step.getPause().getDuration().getValue() + "s";
        }
        if (step.getAnalysis() != null) {
            return "analysis";
        }
        return "step";
    }
}
