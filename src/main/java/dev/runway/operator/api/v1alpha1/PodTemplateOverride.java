package dev.runway.operator.api.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSecurityContext;

/**
 * The escape hatch: a partial pod template applied last, over the pod Runway builds, for both the
 * Deployment and the Rollout. Maps merge key by key; containers, init containers and volumes merge
 * by name (and within a container env by name, ports by containerPort, volumeMounts by mountPath);
 * other lists and scalars replace. Runway's labels, the config-hash annotation and the app
 * container's image are refused at admission. Two entries of one name merge into one (a uniqueness
 * rule over these unbounded fabric8 types would exceed the API server's CEL cost budget). Fields that have a first-class field in the
 * Application (nodeSelector, tolerations, affinity, topology spread, priority class, service
 * account, pull secrets) are not here, so no key can be set by two fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTemplateOverride {
    @JsonPropertyDescription("Labels and annotations added to the pods.")
    public Metadata metadata;

    @JsonPropertyDescription("A pod spec fragment merged over Runway's pod spec.")
    public Spec spec;

    /** Pod labels and annotations. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Metadata {
        @Size(max = 32)
        @ValidationRule(value = "self.all(k, !k.startsWith('runway.dev/') && !(k in ['app.kubernetes.io/name', 'app.kubernetes.io/instance', "
                + "'app.kubernetes.io/managed-by', 'app.kubernetes.io/component']))",
                message = "spec.podTemplate.metadata.labels must not set Runway's labels (app.kubernetes.io/name, instance, managed-by, "
                        + "component: the selector and ownership; runway.dev/*)")
        @ValidationRule(value = "self.all(k, size(k) <= 317 && size(self[k]) <= 63)",
                message = "spec.podTemplate.metadata.labels keys must be label keys and values label values (at most 63 characters)")
        @JsonPropertyDescription("Labels added to the pods (e.g. for a mesh or a cost tool). Runway's own labels cannot be set.")
        public Map<String, String> labels;

        @Size(max = 32)
        @ValidationRule(value = "self.all(k, !k.startsWith('runway.dev/'))",
                message = "spec.podTemplate.metadata.annotations must not set runway.dev/ annotations (the config hash and restart stamp are Runway's)")
        @ValidationRule(value = "self.all(k, size(k) <= 317 && size(self[k]) <= 16384)",
                message = "spec.podTemplate.metadata.annotations keys must be at most 317 and values at most 16384 characters")
        @JsonPropertyDescription("Annotations added to the pods (e.g. a sidecar injector's or a scraper's). runway.dev/ keys cannot be set.")
        public Map<String, String> annotations;
    }

    /** The pod spec fields the escape hatch can set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec {
        @Size(max = 10)
        @ValidationRule(value = "self.all(c, has(c.name))", message = "spec.podTemplate.spec.containers[].name is required: containers merge by name")
        @ValidationRule(value = "self.all(c, !has(c.name) || c.name != 'app' || !has(c.image))",
                message = "spec.podTemplate.spec.containers[name: app] must not set image: the app container runs spec.image")
        @JsonPropertyDescription("Containers merged by name: 'app' is the app container (its image is spec.image and cannot be set here), "
                + "a spec.sidecars name merges into that sidecar, any other name adds a container (it needs an image).")
        public List<Container> containers;

        @Size(max = 10)
        @ValidationRule(value = "self.all(c, has(c.name))", message = "spec.podTemplate.spec.initContainers[].name is required: containers merge by name")
        @JsonPropertyDescription("Init containers merged by name: a spec.initContainers name merges into it, any other name is added after them (it needs an image).")
        public List<Container> initContainers;

        @Size(max = 20)
        @JsonPropertyDescription("Volumes merged by name, in pod spec form: for a source spec.volumes does not offer (projected, CSI, downwardAPI, ephemeral). "
                + "Mount them with spec.podTemplate.spec.containers[].volumeMounts.")
        public List<io.fabric8.kubernetes.api.model.Volume> volumes;

        @JsonPropertyDescription("Pod-level security context fields merged over Runway's (e.g. supplementalGroups, sysctls, seLinuxOptions).")
        public PodSecurityContext securityContext;

        @Min(0)
        @Max(86400)
        @JsonPropertyDescription("Seconds a pod gets to shut down after SIGTERM. Kubernetes' default: 30.")
        public Long terminationGracePeriodSeconds;

        @Size(max = 20)
        @JsonPropertyDescription("Entries added to the pods' /etc/hosts, as in a pod spec.")
        public List<HostAlias> hostAliases;

        @ValidationRule(value = "self in ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']",
                message = "spec.podTemplate.spec.dnsPolicy must be ClusterFirst, ClusterFirstWithHostNet, Default or None")
        @JsonPropertyDescription("DNS policy of the pods, as in a pod spec.")
        public String dnsPolicy;

        @JsonPropertyDescription("DNS settings of the pods (nameservers, searches, options), as in a pod spec.")
        public PodDNSConfig dnsConfig;

        @JsonPropertyDescription("Whether Service environment variables are injected (Kubernetes' default: true).")
        public Boolean enableServiceLinks;

        @JsonPropertyDescription("Share one process namespace between the pod's containers.")
        public Boolean shareProcessNamespace;

        @JsonPropertyDescription("Mount the ServiceAccount token into the pods.")
        public Boolean automountServiceAccountToken;

        @Size(min = 1, max = 253)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
                message = "spec.podTemplate.spec.runtimeClassName must be a RuntimeClass name (lower-case DNS subdomain)")
        @JsonPropertyDescription("RuntimeClass of the pods (e.g. gvisor, kata).")
        public String runtimeClassName;

        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Scheduler of the pods. Default: the cluster's default scheduler.")
        public String schedulerName;

        @Size(max = 10)
        @JsonPropertyDescription("Extra conditions a pod needs before it counts as ready, as in a pod spec.")
        public List<PodReadinessGate> readinessGates;
    }
}
