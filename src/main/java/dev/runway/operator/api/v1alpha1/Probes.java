package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The app container's HTTP probes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Probes {
    @JsonPropertyDescription("Restarts the container when it fails. Default GET /health.")
    public Probe liveness;

    @JsonPropertyDescription("Takes the pod out of the Service when it fails. Default GET /ready.")
    public Probe readiness;

    @JsonPropertyDescription("Holds the other probes until the app has started. Off unless set.")
    public Probe startup;

    /** One HTTP GET probe. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Probe {
        @JsonPropertyDescription("Set false to turn this probe off.")
        public Boolean enabled;

        @Size(max = 1024)
        @ValidationRule(value = "self.startsWith('/')", message = "probe path must start with '/'")
        @JsonPropertyDescription("HTTP path to GET, starting with '/'.")
        public String path;

        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("Port to probe. Default: spec.port.")
        public Integer port;

        @Min(0)
        @Max(3600)
        @JsonPropertyDescription("Seconds after start before the first probe.")
        public Integer initialDelaySeconds;

        @Min(1)
        @Max(3600)
        @JsonPropertyDescription("Seconds between probes. Default 10.")
        public Integer periodSeconds;

        @Min(1)
        @Max(600)
        @JsonPropertyDescription("Seconds after which a probe times out. Default 1.")
        public Integer timeoutSeconds;

        @Min(1)
        @Max(100)
        @JsonPropertyDescription("Consecutive failures that count as failed. Default 3.")
        public Integer failureThreshold;
    }
}
