package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** CPU and memory for the app container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || !has(self.requests.cpu) || !has(self.limits.cpu) || quantity(string(self.requests.cpu)).compareTo(quantity(string(self.limits.cpu))) <= 0",
        message = "spec.resources.requests.cpu must not exceed spec.resources.limits.cpu")
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || !has(self.requests.memory) || !has(self.limits.memory) || quantity(string(self.requests.memory)).compareTo(quantity(string(self.limits.memory))) <= 0",
        message = "spec.resources.requests.memory must not exceed spec.resources.limits.memory")
public class Resources {
    @JsonPropertyDescription("What the scheduler reserves.")
    public Amounts requests;

    @JsonPropertyDescription("The most the container may use.")
    public Amounts limits;

    /** A CPU and memory pair. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Amounts {
        @ValidationRule(value = "isQuantity(string(self))", message = "cpu must be a Kubernetes quantity such as 250m or 1")
        @JsonPropertyDescription("CPU, e.g. 250m or 1.")
        public Quantity cpu;

        @ValidationRule(value = "isQuantity(string(self))", message = "memory must be a Kubernetes quantity such as 256Mi or 1Gi")
        @JsonPropertyDescription("Memory, e.g. 256Mi or 1Gi.")
        public Quantity memory;
    }
}
