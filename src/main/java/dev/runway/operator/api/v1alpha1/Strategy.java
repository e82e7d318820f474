package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How a new revision replaces the old one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type == 'BlueGreen' || !has(self.blueGreen)", message = "spec.strategy.blueGreen is only allowed with spec.strategy.type BlueGreen")
@ValidationRule(value = "self.type == 'RollingUpdate' || !has(self.rollingUpdate)", message = "spec.strategy.rollingUpdate is only allowed with spec.strategy.type RollingUpdate")
@ValidationRule(value = "self.type == 'Canary' || !has(self.canary)", message = "spec.strategy.canary is only allowed with spec.strategy.type Canary")
@ValidationRule(value = "self.type != 'Canary' || has(self.canary)", message = "spec.strategy.canary (its steps) is required with spec.strategy.type Canary")
public class Strategy {
    /** The kinds of rollout. */
    public enum Type { RollingUpdate, BlueGreen, Canary }

    @Default("RollingUpdate")
    @JsonPropertyDescription("RollingUpdate (a Deployment), BlueGreen (an Argo Rollout with a preview Service) or Canary (an Argo Rollout that moves the new revision's share of pods up step by step).")
    public Type type = Type.RollingUpdate;

    @JsonPropertyDescription("Settings of the RollingUpdate strategy.")
    public RollingUpdate rollingUpdate;

    @JsonPropertyDescription("Settings of the BlueGreen strategy.")
    public BlueGreen blueGreen;

    @JsonPropertyDescription("Settings of the Canary strategy.")
    public Canary canary;

    /** Rolling-update settings. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RollingUpdate {
        @ValidationRule(value = "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')", message = "spec.strategy.rollingUpdate.maxSurge must be a count >= 0 or a percentage 0%-100%")
        @JsonPropertyDescription("Extra pods allowed during the update (count or percentage). Default 25%.")
        public IntOrString maxSurge;

        @ValidationRule(value = "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')", message = "spec.strategy.rollingUpdate.maxUnavailable must be a count >= 0 or a percentage 0%-100%")
        @JsonPropertyDescription("Pods that may be unavailable during the update (count or percentage). Default 25%.")
        public IntOrString maxUnavailable;

        @Min(10)
        @Max(86400)
        @JsonPropertyDescription("Seconds a revision may take to become available before it counts as failed. Default 600.")
        public Integer progressDeadlineSeconds;
    }

    /** Blue-green settings. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class BlueGreen {
        @JsonPropertyDescription("Promote without waiting for runway.dev/promote. Default: false when the Environment requires approval, else true.")
        public Boolean autoPromotion;

        @Min(0)
        @Max(86400)
        @JsonPropertyDescription("Seconds the old pods keep running after promotion. Default 30.")
        public Integer scaleDownDelaySeconds;

        @Min(10)
        @Max(86400)
        @JsonPropertyDescription("Seconds the preview may take to become available; a revision that misses it is aborted (the active version keeps serving). Default 600.")
        public Integer progressDeadlineSeconds;

        @Min(1)
        @Max(1000)
        @JsonPropertyDescription("Pods of the preview revision. Default: spec.replicas.")
        public Integer previewReplicas;

        @JsonPropertyDescription("Analysis of the preview before promotion.")
        public Analysis prePromotionAnalysis;

        @JsonPropertyDescription("Analysis of the new active revision after promotion.")
        public Analysis postPromotionAnalysis;
    }

    /**
     * Canary settings: the steps of an Argo Rollout canary without a traffic router, so a weight is
     * the new revision's share of the pods behind the Application's Service.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!self.steps.exists(s, has(s.analysis) && s.analysis) || has(self.analysis)", fieldPath = ".steps",
            message = "spec.strategy.canary.steps has an analysis step: set spec.strategy.canary.analysis (its thresholds)")
    public static class Canary {
        @Required
        @Size(min = 1, max = 20)
        @JsonPropertyDescription("In order: setWeight (percent of the pods on the new revision), pause (seconds, or until runway.dev/promote), analysis (spec.strategy.canary.analysis against the new revision's pods; a failure aborts). After the last step the new revision takes all pods.")
        public java.util.List<CanaryStep> steps;

        @JsonPropertyDescription("Thresholds the analysis steps check.")
        public Analysis analysis;

        @Min(10)
        @Max(86400)
        @JsonPropertyDescription("Seconds a step's pods may take to become available; a revision that misses it is aborted (the stable revision keeps serving). Default 600.")
        public Integer progressDeadlineSeconds;
    }

    /** One canary step: exactly one of setWeight, pause, analysis. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.setWeight) ? 1 : 0) + (has(self.pause) ? 1 : 0) + (has(self.analysis) ? 1 : 0) == 1",
            message = "each spec.strategy.canary.steps entry sets exactly one of setWeight, pause, analysis")
    public static class CanaryStep {
        @Min(0)
        @Max(100)
        @JsonPropertyDescription("Percent of the pods that run the new revision from this step on.")
        public Integer setWeight;

        @JsonPropertyDescription("Wait: for pause.seconds, or (without seconds) until runway.dev/promote.")
        public Pause pause;

        @ValidationRule(value = "self", message = "spec.strategy.canary.steps[].analysis must be true when set")
        @JsonPropertyDescription("true: run spec.strategy.canary.analysis against the new revision's pods; the step passes when it succeeds.")
        public Boolean analysis;
    }

    /** A canary pause. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Pause {
        @Min(1)
        @Max(86400)
        @JsonPropertyDescription("Seconds to wait. Without it the canary waits for runway.dev/promote.")
        public Integer seconds;
    }

    /** Thresholds checked against Prometheus. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Analysis {
        @Min(0)
        @Max(100)
        @JsonPropertyDescription("Lowest acceptable share of non-5xx responses, in percent.")
        @JsonSerialize(using = WholeNumbers.class)
        public Double successRatePercent;

        @Min(1)
        @Max(600000)
        @JsonPropertyDescription("Highest acceptable p95 latency in milliseconds.")
        public Integer latencyP95Ms;
    }
}
