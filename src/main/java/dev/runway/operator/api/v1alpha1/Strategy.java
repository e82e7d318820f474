package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How a new revision replaces the old one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type == 'BlueGreen' || !has(self.blueGreen)", message = "spec.strategy.blueGreen is only allowed with spec.strategy.type BlueGreen")
@ValidationRule(value = "self.type == 'RollingUpdate' || !has(self.rollingUpdate)", message = "spec.strategy.rollingUpdate is only allowed with spec.strategy.type RollingUpdate")
public class Strategy {
    /** The kinds of rollout. */
    public enum Type { RollingUpdate, BlueGreen }

    @Default("RollingUpdate")
    @JsonPropertyDescription("RollingUpdate (a Deployment) or BlueGreen (an Argo Rollout with a preview Service).")
    public Type type = Type.RollingUpdate;

    @JsonPropertyDescription("Settings of the RollingUpdate strategy.")
    public RollingUpdate rollingUpdate;

    @JsonPropertyDescription("Settings of the BlueGreen strategy.")
    public BlueGreen blueGreen;

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
