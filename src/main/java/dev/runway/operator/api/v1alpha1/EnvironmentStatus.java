package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What an Environment has made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentStatus extends RunwayStatus {
    @JsonPropertyDescription("The namespace this environment manages.")
    public String namespace;

    @JsonPropertyDescription("Whether the namespace was created by the Environment (true) or adopted (false).")
    public Boolean namespaceCreated;

    @JsonPropertyDescription("Applications in the namespace.")
    public AppCounts applications;

    @JsonPropertyDescription("Ready over total Applications, e.g. 4/4.")
    public String appsReady;

    /** Application counts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class AppCounts {
        public Integer total;
        public Integer ready;
    }
}
