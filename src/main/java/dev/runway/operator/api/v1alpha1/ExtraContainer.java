package dev.runway.operator.api.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * An init container or a sidecar: it runs with the same security context as the app container,
 * and mounts the Application's volumes by name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExtraContainer {
    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
            message = "initContainers[].name and sidecars[].name must be DNS labels (lower-case letters, digits, '-')")
    @ValidationRule(value = "self != 'app'", message = "initContainers[].name and sidecars[].name must not be 'app': that is the app container's")
    @JsonPropertyDescription("Container name, unique in the pod; 'app' is the app container's.")
    public String name;

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(value = "self == self.trim() && !self.contains(' ')", message = "initContainers[].image and sidecars[].image must be image references without whitespace")
    @JsonPropertyDescription("Image to run. It does not follow spec.image: it changes only when you change it here.")
    public String image;

    @Size(max = 64)
    @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "initContainers[].command and sidecars[].command entries must be at most 4096 characters")
    @JsonPropertyDescription("Entrypoint. Default: the image's.")
    public List<String> command;

    @Size(max = 64)
    @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "initContainers[].args and sidecars[].args entries must be at most 4096 characters")
    @JsonPropertyDescription("Arguments. Default: the image's.")
    public List<String> args;

    @Size(max = 100)
    @ValidationRule(value = "self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$') && size(self[k]) <= 32768)",
            message = "initContainers[].env and sidecars[].env keys must be environment variable names and values at most 32768 characters")
    @JsonPropertyDescription("Environment variables of this container (the Application's env is the app container's).")
    public Map<String, String> env;

    @JsonPropertyDescription("CPU, memory and extended resources of this container.")
    public Resources resources;

    @Size(max = 20)
    @JsonPropertyDescription("Volumes from spec.volumes this container mounts, by name (and 'tmp', Runway's writable /tmp).")
    public List<Mount> volumeMounts;

    /** A volume of spec.volumes mounted into this container. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Mount {
        @Required
        @Size(min = 1, max = 63)
        @JsonPropertyDescription("Name of a volume in spec.volumes, or 'tmp'.")
        public String name;

        @Required
        @Size(min = 2, max = 1024)
        @ValidationRule(value = "self.startsWith('/') && !self.contains(':') && !self.contains('/../') && !self.endsWith('/..')",
                message = "volumeMounts[].mountPath must be an absolute path without ':' or '..'")
        @JsonPropertyDescription("Where this container sees the volume.")
        public String mountPath;

        @JsonPropertyDescription("Mount read-only. Default false.")
        public Boolean readOnly;
    }
}
