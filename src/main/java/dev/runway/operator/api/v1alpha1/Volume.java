package dev.runway.operator.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A volume of the pod, mounted into the app container (and, by name, into init containers and sidecars). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.emptyDir), has(self.configMap), has(self.secret), has(self.persistentVolumeClaim), has(self.claim)].filter(x, x).size() == 1",
        message = "each spec.volumes entry needs exactly one of emptyDir, configMap, secret, persistentVolumeClaim or claim")
public class Volume {
    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
            message = "spec.volumes[].name must be a DNS label (lower-case letters, digits, '-')")
    @ValidationRule(value = "self != 'tmp'", message = "spec.volumes[].name 'tmp' is Runway's writable /tmp; choose another name")
    @JsonPropertyDescription("Volume name, unique in the Application; init containers and sidecars mount it by this name. A claim volume's PVC is named <application>-<name>.")
    public String name;

    @Required
    @Size(min = 2, max = 1024)
    @ValidationRule(value = "self.startsWith('/') && !self.contains(':') && !self.contains('/../') && !self.endsWith('/..')",
            message = "spec.volumes[].mountPath must be an absolute path without ':' or '..'")
    @ValidationRule(value = "self != '/tmp'", message = "spec.volumes[].mountPath /tmp is Runway's writable emptyDir; mount elsewhere")
    @JsonPropertyDescription("Where the app container sees the volume, e.g. /data/uploads.")
    public String mountPath;

    @JsonPropertyDescription("Mount read-only. Default: true for configMap and secret, false otherwise.")
    public Boolean readOnly;

    @JsonPropertyDescription("Scratch space that lives as long as the pod.")
    public EmptyDir emptyDir;

    @JsonPropertyDescription("Files from a ConfigMap in this namespace, one per key.")
    public ObjectRef configMap;

    @JsonPropertyDescription("Files from a Secret in this namespace, one per key. Not hashed into the pod template: the kubelet updates the files in place.")
    public ObjectRef secret;

    @JsonPropertyDescription("An existing PersistentVolumeClaim in this namespace.")
    public ExistingClaim persistentVolumeClaim;

    @JsonPropertyDescription("A PersistentVolumeClaim Runway creates as <application>-<name> and keeps: it survives rollouts and, unless deleteWithApplication is true, the Application's deletion (recreating the Application takes it back).")
    public Claim claim;

    /** Whether the app container mounts this volume read-only. */
    public boolean mountedReadOnly() {
        return readOnly != null ? readOnly : configMap != null || secret != null;
    }

    /** An emptyDir. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EmptyDir {
        @JsonPropertyDescription("Memory for a tmpfs (counts against the container's memory limit). Default: the node's disk.")
        public Medium medium;

        @Size(min = 1, max = 32)
        @ValidationRule(value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
                message = "spec.volumes[].emptyDir.sizeLimit must be a positive quantity such as 1Gi")
        @JsonPropertyDescription("The most the volume may hold, e.g. 1Gi; the pod is evicted beyond it.")
        public String sizeLimit;

        /** Where an emptyDir lives. */
        public enum Medium {
            Memory
        }
    }

    /** A ConfigMap or Secret by name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ObjectRef {
        @Required
        @Size(min = 1, max = 253)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
                message = "spec.volumes[] configMap.name and secret.name must be object names (lower-case DNS subdomain)")
        @JsonPropertyDescription("Name of the object in the Application's namespace.")
        public String name;

        @JsonPropertyDescription("Start the pod even when the object does not exist (the directory is then empty). Default false: the pod waits for it.")
        public Boolean optional;
    }

    /** An existing PVC by name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ExistingClaim {
        @Required
        @Size(min = 1, max = 253)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
                message = "spec.volumes[].persistentVolumeClaim.claimName must be a PVC name (lower-case DNS subdomain)")
        @JsonPropertyDescription("Name of the PersistentVolumeClaim.")
        public String claimName;
    }

    /** A PVC Runway creates and keeps. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Claim {
        @Required
        @Size(min = 1, max = 32)
        @ValidationRule(value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
                message = "spec.volumes[].claim.size must be a positive quantity such as 10Gi")
        @JsonPropertyDescription("Storage requested, e.g. 10Gi. Raising it asks the StorageClass to expand the volume (it must allow expansion); a claim cannot shrink.")
        public String size;

        @Size(min = 1, max = 253)
        @JsonPropertyDescription("StorageClass of the PVC. Default: the cluster's default class. Fixed once the PVC exists.")
        public String storageClassName;

        @Size(max = 3)
        @JsonPropertyDescription("Access modes. Default [ReadWriteOnce]: one node mounts it, so keep replicas at 1 or use ReadWriteMany storage.")
        public List<AccessMode> accessModes;

        @Default("false")
        @JsonPropertyDescription("Delete the PVC, and with it the data, when the Application is deleted. Default false: the PVC and its data stay.")
        public Boolean deleteWithApplication = false;

        /** PVC access modes. */
        public enum AccessMode {
            ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod
        }
    }
}
