package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Horizontal pod autoscaling bounds and targets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.minReplicas <= self.maxReplicas", message = "spec.autoscaling.minReplicas must not exceed spec.autoscaling.maxReplicas")
@ValidationRule(value = "has(self.targetCPUUtilizationPercentage) || has(self.targetMemoryUtilizationPercentage)",
        message = "spec.autoscaling needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage")
public class Autoscaling {
    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Fewest pods.")
    public Integer minReplicas;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Most pods.")
    public Integer maxReplicas;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Average CPU utilisation (percent of requests) to aim for.")
    public Integer targetCPUUtilizationPercentage;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Average memory utilisation (percent of requests) to aim for.")
    public Integer targetMemoryUtilizationPercentage;
}
