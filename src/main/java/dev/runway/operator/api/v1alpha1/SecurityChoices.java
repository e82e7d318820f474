package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The few security choices an image may need, on top of the restricted Pod Security profile Runway
 * applies to every container of the pod (non-root, no privilege escalation, no capabilities,
 * RuntimeDefault seccomp, read-only root filesystem).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.runAsUser) || self.runAsUser != 0 || (has(self.runAsRoot) && self.runAsRoot)",
        message = "spec.securityContext.runAsUser 0 is root: set spec.securityContext.runAsRoot: true as well (the Environment's spec.isolation.podSecurity must then be baseline or privileged)")
@ValidationRule(value = "!has(self.runAsGroup) || self.runAsGroup != 0 || (has(self.runAsRoot) && self.runAsRoot)",
        message = "spec.securityContext.runAsGroup 0 is the root group: set spec.securityContext.runAsRoot: true as well")
public class SecurityChoices {
    @Min(0)
    @Max(2147483647)
    @JsonPropertyDescription("UID the containers run as, e.g. 10001. Needed for an image whose USER is a name (\"nginx\") rather than a number: the kubelet cannot check a name is non-root. Default: the image's USER.")
    public Long runAsUser;

    @Min(0)
    @Max(2147483647)
    @JsonPropertyDescription("Primary GID of the containers' processes. Default: the image's.")
    public Long runAsGroup;

    @Min(0)
    @Max(2147483647)
    @JsonPropertyDescription("GID that owns the pod's volumes (PVCs, emptyDirs), so a non-root app can write to them.")
    public Long fsGroup;

    @JsonPropertyDescription("Set false to let the containers write to their root filesystem (an image that writes outside its volumes and /tmp). Default true: read-only, with a writable /tmp.")
    public Boolean readOnlyRootFilesystem;

    @JsonPropertyDescription("Allow the containers to run as root (UID 0), e.g. an image that binds port 80 and then drops to a worker user. Runway then keeps the runtime's default capabilities instead of dropping them all. Only where the Environment's spec.isolation.podSecurity is baseline or privileged: under restricted the Application is Stalled with a condition naming both fields. Default false.")
    public Boolean runAsRoot;

    public boolean root() {
        return Boolean.TRUE.equals(runAsRoot);
    }
}
