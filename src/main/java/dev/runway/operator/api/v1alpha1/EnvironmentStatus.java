package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What an Environment has made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentStatus extends RunwayStatus {
    @JsonPropertyDescription("The namespace this environment manages (unset while it is refused).")
    public String namespace;

    @JsonPropertyDescription("Whether the Environment created the namespace (true) or adopted it (false). Only a created namespace can be deleted with the Environment (deletionPolicy: Delete).")
    public Boolean namespaceCreated;

    @JsonPropertyDescription("Applications in the namespace.")
    public AppCounts applications;

    @JsonPropertyDescription("Ready over total Applications, e.g. 4/4.")
    public String appsReady;

    /** Application counts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class AppCounts {
        @JsonPropertyDescription("Applications in the namespace.")
        public Integer total;
        @JsonPropertyDescription("Those whose Ready condition is True.")
        public Integer ready;
    }
}
