package dev.runway.operator.api.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired state of an Application. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.autoscaling) || !has(self.replicas) || (self.replicas >= self.autoscaling.minReplicas && self.replicas <= self.autoscaling.maxReplicas)",
        message = "spec.replicas must lie between spec.autoscaling.minReplicas and maxReplicas (or be left out when autoscaling is set)")
@ValidationRule(value = "!has(self.worker) || !self.worker || (!has(self.port) && !has(self.ingress) && !has(self.probes) && !has(self.monitoring) && (!has(self.strategy) || !has(self.strategy.type) || self.strategy.type != 'BlueGreen'))",
        message = "spec.worker: true serves no HTTP: leave out spec.port, spec.ingress, spec.probes and spec.monitoring, and use strategy RollingUpdate")
@ValidationRule(value = "!has(self.ports) || self.ports.all(p, p.containerPort != (has(self.port) ? self.port : 8080) && (!has(self.monitoring) || !has(self.monitoring.metricsPort) || p.containerPort != self.monitoring.metricsPort))",
        message = "spec.ports must not repeat spec.port (default 8080) or spec.monitoring.metricsPort")
@ValidationRule(value = "!has(self.initContainers) || !has(self.sidecars) || self.initContainers.all(c, !self.sidecars.exists(s, s.name == c.name))",
        message = "spec.initContainers and spec.sidecars names must be unique across both")
@ValidationRule(value = "!has(self.initContainers) || self.initContainers.all(c, self.initContainers.exists_one(d, d.name == c.name))",
        message = "spec.initContainers names must be unique")
@ValidationRule(value = "!has(self.sidecars) || self.sidecars.all(c, self.sidecars.exists_one(d, d.name == c.name))",
        message = "spec.sidecars names must be unique")
@ValidationRule(value = "!has(self.initContainers) || self.initContainers.all(c, !has(c.volumeMounts) || c.volumeMounts.all(m, m.name == 'tmp' || (has(self.volumes) && self.volumes.exists(v, v.name == m.name))))",
        message = "spec.initContainers[].volumeMounts[].name must name a volume in spec.volumes (or 'tmp')")
@ValidationRule(value = "!has(self.sidecars) || self.sidecars.all(c, !has(c.volumeMounts) || c.volumeMounts.all(m, m.name == 'tmp' || (has(self.volumes) && self.volumes.exists(v, v.name == m.name))))",
        message = "spec.sidecars[].volumeMounts[].name must name a volume in spec.volumes (or 'tmp')")
@ValidationRule(value = "!has(self.podTemplate) || !has(self.podTemplate.spec) || !has(self.podTemplate.spec.containers) || self.podTemplate.spec.containers.all(c, !has(c.name) || c.name == 'app' || has(c.image) || (has(self.sidecars) && self.sidecars.exists(s, s.name == c.name)))",
        message = "spec.podTemplate.spec.containers[] that is neither 'app' nor a spec.sidecars name adds a container and needs an image")
@ValidationRule(value = "!has(self.podTemplate) || !has(self.podTemplate.spec) || !has(self.podTemplate.spec.initContainers) || self.podTemplate.spec.initContainers.all(c, !has(c.name) || has(c.image) || (has(self.initContainers) && self.initContainers.exists(s, s.name == c.name)))",
        message = "spec.podTemplate.spec.initContainers[] that is not a spec.initContainers name adds an init container and needs an image")
public class ApplicationSpec {

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(value = "self == self.trim() && !self.contains(' ')", message = "spec.image must be an image reference without whitespace, e.g. registry.example.com/team/app:1.2.3")
    @JsonPropertyDescription("Container image to run, e.g. registry.example.com/acme/shop:1.4.2. A change starts a rollout (and a migration when spec.migration is set).")
    public String image;

    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Number of pods. Default: the Environment tier's default (1 in Development, else 2). Ignored while spec.autoscaling is set: the HPA owns the count.")
    public Integer replicas;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port the container serves HTTP on; the Service and the default probes use it. Default 8080. Leave it out for a worker (spec.worker: true).")
    public Integer port;

    @JsonPropertyDescription("A worker serves no HTTP (a queue consumer, a batch worker): no Service, Ingress, preview Service or probes, and Ready means its pods run without restarting for 10 s. Needs spec.port, spec.ingress, spec.probes, spec.monitoring and strategy BlueGreen left out. Default false.")
    public Boolean worker;

    @Size(max = 64)
    @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "spec.command entries must be at most 4096 characters")
    @JsonPropertyDescription("Entrypoint of the app container, e.g. [node, dist/worker.js]. Default: the image's ENTRYPOINT.")
    public List<String> command;

    @Size(max = 64)
    @ValidationRule(value = "self.all(x, size(x) <= 4096)", message = "spec.args entries must be at most 4096 characters")
    @JsonPropertyDescription("Arguments of the app container. Default: the image's CMD (when spec.command is set too, the image's CMD is not used).")
    public List<String> args;

    @Size(max = 20)
    @ValidationRule(value = "self.all(p, self.exists_one(q, q.name == p.name))", message = "spec.ports names must be unique")
    @ValidationRule(value = "self.all(p, self.exists_one(q, q.containerPort == p.containerPort && q.protocol == p.protocol))", message = "spec.ports numbers must be unique per protocol")
    @ValidationRule(value = "self.all(p, p.name != 'http' && p.name != 'metrics')", message = "spec.ports names 'http' and 'metrics' are Runway's (spec.port and spec.monitoring.metricsPort)")
    @JsonPropertyDescription("More ports the app container listens on (gRPC, admin). The Service exposes each on the same number.")
    public List<ContainerPort> ports;

    @JsonPropertyDescription("Security choices for every container of the pod. Default: the restricted Pod Security profile (non-root, read-only root filesystem with a writable /tmp).")
    public SecurityChoices securityContext;

    @Size(max = 20)
    @ValidationRule(value = "self.all(v, self.exists_one(w, w.name == v.name))", message = "spec.volumes names must be unique")
    @ValidationRule(value = "self.all(v, self.exists_one(w, w.mountPath == v.mountPath))", message = "spec.volumes mountPaths must be unique")
    @JsonPropertyDescription("Volumes of the pod, each mounted into the app container: emptyDir, ConfigMap or Secret files, an existing PVC, or a PVC Runway creates and keeps (claim).")
    public List<Volume> volumes;

    @Size(max = 5)
    @JsonPropertyDescription("Containers that run to completion, in order, before the app container starts (e.g. fetch assets, wait for a dependency).")
    public List<ExtraContainer> initContainers;

    @Size(max = 5)
    @JsonPropertyDescription("Containers that run next to the app container for the pod's life (a proxy, a log shipper).")
    public List<ExtraContainer> sidecars;

    @Size(min = 1, max = 253)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
            message = "spec.serviceAccountName must be a ServiceAccount name (lower-case DNS subdomain)")
    @JsonPropertyDescription("ServiceAccount the pods run as, for workloads that call the Kubernetes API or a cloud API with workload identity. Default: the namespace's default ServiceAccount.")
    public String serviceAccountName;

    @Size(max = 10)
    @ValidationRule(value = "self.all(r, self.exists_one(q, q.name == r.name))", message = "spec.imagePullSecrets names must be unique")
    @JsonPropertyDescription("Secrets of type kubernetes.io/dockerconfigjson in this namespace with credentials for private registries, as in a pod spec: [{name: registry-credentials}].")
    public List<SecretName> imagePullSecrets;

    @Size(max = 20)
    @ValidationRule(value = "self.all(k, size(k) <= 317 && size(self[k]) <= 63)", message = "spec.nodeSelector keys must be label keys and values label values (at most 63 characters)")
    @JsonPropertyDescription("Run only on nodes with these labels, e.g. {kubernetes.io/arch: amd64}.")
    public Map<String, String> nodeSelector;

    @Size(max = 20)
    @JsonPropertyDescription("Taints the pods tolerate (e.g. the taint on GPU nodes), as in a pod spec.")
    public List<io.fabric8.kubernetes.api.model.Toleration> tolerations;

    @JsonPropertyDescription("Node and pod (anti-)affinity, as in a pod spec.")
    public io.fabric8.kubernetes.api.model.Affinity affinity;

    @Size(min = 1, max = 253)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
            message = "spec.priorityClassName must be a PriorityClass name (lower-case DNS subdomain)")
    @JsonPropertyDescription("PriorityClass of the pods. Default: the cluster's default priority.")
    public String priorityClassName;

    @Size(max = 8)
    @JsonPropertyDescription("How the pods spread over nodes and zones, as in a pod spec; a constraint without labelSelector selects this Application's pods. Default: spread over nodes (kubernetes.io/hostname, maxSkew 1, ScheduleAnyway: a single node still runs them all; with one replica it changes nothing). An empty list turns the default off.")
    public List<io.fabric8.kubernetes.api.model.TopologySpreadConstraint> topologySpreadConstraints;

    @Size(max = 200)
    @ValidationRule(value = "self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))", message = "spec.env keys must be valid environment variable names (letters, digits, '_', not starting with a digit)")
    @ValidationRule(value = "self.all(k, size(self[k]) <= 16384)", message = "spec.env values must be at most 16384 characters")
    @JsonPropertyDescription("Environment variables, rendered into a ConfigMap; merged over the Environment's config (these win). A change rolls the pods.")
    public Map<String, String> env;

    @Size(max = 20)
    // A regex per item would exceed the API server's CEL cost budget for unbounded strings; a name
    // that is not a valid Secret name is reported as not found instead.
    @ValidationRule(value = "self.all(n, size(n) > 0 && size(n) <= 253)", message = "spec.secretRefs entries must be Secret names of 1 to 253 characters")
    @JsonPropertyDescription("Names of existing Secrets in this namespace, exposed to the container as envFrom. Their data is hashed into the pod template: a change rolls the pods.")
    public List<String> secretRefs;

    @Size(max = 32)
    @ValidationRule(value = "self.all(x, self.exists_one(y, y.key == x.key))", message = "spec.generatedSecrets keys must be unique")
    @JsonPropertyDescription("Values the operator generates once (cryptographically random), keeps in the Secret <name>-generated and exposes as env vars. Rotated only on the runway.dev/rotate-secrets annotation.")
    public List<GeneratedSecret> generatedSecrets;

    @JsonPropertyDescription("The escape hatch: a partial pod template (metadata labels and annotations, a pod spec fragment) merged last over "
            + "the pod Runway builds, for what no field above offers. Containers, init containers and volumes merge by name ('app' is the "
            + "app container), maps key by key, other lists and values replace. Runway's labels, the runway.dev/ annotations and the app "
            + "container's image cannot be set. status.podTemplateOverrides lists the Runway defaults it replaced.")
    public PodTemplateOverride podTemplate;

    /** What becomes of the Secret of generated values when the Application no longer wants it. */
    public enum SecretRetention { Delete, Retain }

    @JsonPropertyDescription("What becomes of the Secret of generated values (<name>-generated) when the Application is deleted or "
            + "spec.generatedSecrets is emptied. Delete (default): it goes with the Application, and an Application re-created under "
            + "the same name gets new values. Retain: the Secret carries no owner reference and Runway never deletes it; the next "
            + "Application of the same name in this namespace adopts it and keeps its values (condition GeneratedSecrets, reason Adopted).")
    public SecretRetention generatedSecretsRetention;

    @JsonPropertyDescription("HTTP probes. Defaults: liveness GET /health, readiness GET /ready on spec.port; none for a worker.")
    public Probes probes;

    @JsonPropertyDescription("CPU, memory and extended resources (GPUs) of the app container.")
    public Resources resources;

    @JsonPropertyDescription("Horizontal pod autoscaling. When set the operator creates an HPA and leaves the replica count to it.")
    public Autoscaling autoscaling;

    @JsonPropertyDescription("How a new revision replaces the old one.")
    public Strategy strategy;

    @JsonPropertyDescription("What happens when a revision fails.")
    public Rollback rollback;

    @JsonPropertyDescription("Expose the app through an Ingress.")
    public Ingress ingress;

    @JsonPropertyDescription("Scraping and alerting (needs the Prometheus Operator CRDs; without them a condition says so).")
    public Monitoring monitoring;

    @JsonPropertyDescription("A database migration to run, and succeed, before each new image serves.")
    public Migration migration;

    /** A Secret in this namespace, by name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecretName {
        @Required
        @Size(min = 1, max = 253)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')",
                message = "spec.imagePullSecrets[].name must be a Secret name (lower-case DNS subdomain)")
        @JsonPropertyDescription("Name of the Secret.")
        public String name;
    }

    /** A Secret value generated by the operator. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class GeneratedSecret {
        @Required
        @Size(min = 1, max = 128)
        @ValidationRule(value = "self.matches('^[A-Za-z_][A-Za-z0-9_]*$')", message = "spec.generatedSecrets[].key must be a valid environment variable name")
        @JsonPropertyDescription("Environment variable name and Secret key, e.g. JWT_SECRET.")
        public String key;

        @Min(16)
        @Max(512)
        @Default("32")
        @JsonPropertyDescription("Length in characters (16-512) of the random URL-safe value.")
        public Integer length = 32;
    }

    /** What to do when a revision fails. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Rollback {
        @Default("true")
        @JsonPropertyDescription("Revert to the last good revision when a new one misses its progress deadline (or fails analysis). The spec is not changed; status says RolledBack and why.")
        public Boolean automatic = true;
    }
}
