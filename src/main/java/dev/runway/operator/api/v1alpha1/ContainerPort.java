package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A port the app container listens on besides spec.port (metrics, gRPC, an admin endpoint). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerPort {
    @Required
    @Size(min = 1, max = 15)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && self.matches('[a-z]')",
            message = "spec.ports[].name must be an IANA service name: lower-case letters, digits and '-', with a letter, at most 15 characters")
    @JsonPropertyDescription("Port name, e.g. grpc or admin (an IANA service name: at most 15 lower-case letters, digits and '-'). 'http' is spec.port's.")
    public String name;

    @Required
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port number in the container.")
    public Integer containerPort;

    @Default("TCP")
    @JsonPropertyDescription("TCP, UDP or SCTP. Default TCP.")
    public Protocol protocol = Protocol.TCP;

    /** The protocols a container port may use. */
    public enum Protocol {
        TCP, UDP, SCTP
    }
}
