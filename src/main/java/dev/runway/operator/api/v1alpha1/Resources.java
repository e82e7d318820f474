package dev.runway.operator.api.v1alpha1;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** CPU, memory and extended resources (GPUs) for a container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || !has(self.requests.cpu) || !has(self.limits.cpu) || quantity(string(self.requests.cpu)).compareTo(quantity(string(self.limits.cpu))) <= 0",
        message = "resources.requests.cpu must not exceed resources.limits.cpu (spec.resources, or the init container's or sidecar's own)")
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || !has(self.requests.memory) || !has(self.limits.memory) || quantity(string(self.requests.memory)).compareTo(quantity(string(self.limits.memory))) <= 0",
        message = "resources.requests.memory must not exceed resources.limits.memory (spec.resources, or the init container's or sidecar's own)")
public class Resources {
    @JsonPropertyDescription("What the scheduler reserves.")
    public Amounts requests;

    @JsonPropertyDescription("The most the container may use.")
    public Amounts limits;

    @Size(max = 16)
    @ValidationRule(value = "self.all(k, k.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$') && size(k) <= 253 && !k.startsWith('kubernetes.io/') && !k.startsWith('requests.'))",
            message = "resources.extended keys must be extended resource names with a domain, e.g. nvidia.com/gpu (not in kubernetes.io)")
    @ValidationRule(value = "self.all(k, self[k] >= 1 && self[k] <= 1000000)",
            message = "resources.extended values must be whole positive numbers, e.g. 1")
    @JsonPropertyDescription("Extended resources the node advertises, e.g. {nvidia.com/gpu: 1}. Each is set as both request and limit (Kubernetes does not overcommit them); the pod is scheduled only on a node that has them.")
    public Map<String, Integer> extended;

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
