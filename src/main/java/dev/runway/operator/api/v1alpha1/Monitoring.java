package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Scraping and SLO alerting for an Application. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Monitoring {
    @JsonPropertyDescription("Create a ServiceMonitor for the app's metrics endpoint.")
    public Boolean serviceMonitor;

    @Size(max = 1024)
    @ValidationRule(value = "self.startsWith('/')", message = "spec.monitoring.metricsPath must start with '/'")
    @JsonPropertyDescription("Path of the metrics endpoint. Default /metrics.")
    public String metricsPath;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port of the metrics endpoint. Default: spec.port.")
    public Integer metricsPort;

    @JsonPropertyDescription("Alert thresholds; each set threshold becomes rules in a PrometheusRule.")
    public Alerts alerts;

    /** Alert thresholds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Alerts {
        @Min(0.01)
        @Max(100)
        // The API server truncates a fractional minimum to an integer for integer input: 0 would pass @Min alone.
        @ValidationRule(value = "self >= 0.01", message = "spec.monitoring.alerts.errorRatePercent must be at least 0.01 (a budget of 0 would alert on any 5xx)")
        @JsonPropertyDescription("Error budget: the share of 5xx responses (percent) the SLO allows. Burn-rate alerts page and ticket against it.")
        @JsonSerialize(using = WholeNumbers.class)
        public Double errorRatePercent;

        @Min(1)
        @Max(600000)
        @JsonPropertyDescription("Alert when p95 latency (ms) stays above this.")
        public Integer latencyP95Ms;

        @Min(1)
        @Max(600000)
        @JsonPropertyDescription("Alert when p99 latency (ms) stays above this.")
        public Integer latencyP99Ms;

        @Min(1)
        @Max(1440)
        @JsonPropertyDescription("Alert when fewer pods are ready than desired for this many minutes. Default 10.")
        public Integer availabilityMinutes;
    }
}
