package dev.runway.operator.api.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The desired state of an Environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.quota) || !has(self.quota.cpu) || (has(self.containerDefaults) && has(self.containerDefaults.cpu))",
        fieldPath = ".quota.cpu",
        message = "spec.containerDefaults.cpu is required when spec.quota.cpu is set: the quota makes the API server reject every pod without a CPU request")
@ValidationRule(value = "!has(self.quota) || !has(self.quota.memory) || (has(self.containerDefaults) && has(self.containerDefaults.memory))",
        fieldPath = ".quota.memory",
        message = "spec.containerDefaults.memory is required when spec.quota.memory is set: the quota makes the API server reject every pod without a memory request")
@ValidationRule(value = "has(self.namespace) == has(oldSelf.namespace)", fieldPath = ".namespace",
        message = "spec.namespace cannot be added or removed after creation; create another Environment for another namespace")
public class EnvironmentSpec {
    /** A DNS label: what a namespace name must be. */
    static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /** Stages, from least to most protected. */
    public enum Tier { Development, Preview, Staging, UAT, Production }

    /** What deleting the Environment does to a namespace it created. */
    public enum DeletionPolicy { Retain, Delete }

    @Required
    @JsonPropertyDescription("Development | Preview | Staging | UAT | Production. Sets defaults (approval, PDBs, pod security, backups before migrations).")
    public Tier tier;

    @Size(min = 1, max = 63)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "spec.namespace must be a DNS label (lower-case letters, digits, '-')")
    @ValidationRule(value = "self == oldSelf", message = "spec.namespace cannot change once set; create another Environment for another namespace")
    @JsonPropertyDescription("Namespace of this environment. Default: metadata.name. Created unless it exists; an existing one is taken only with adoptExisting. Cannot change once set. Never default, a kube-* namespace, the operator's own or one the operator is told to protect.")
    public String namespace;

    @Default("false")
    @JsonPropertyDescription("Take over a namespace that already exists. Without it an existing namespace is refused, never silently taken.")
    public Boolean adoptExisting = false;

    @Default("Retain")
    @JsonPropertyDescription("Retain (default) keeps the namespace when the Environment is deleted; Delete removes a namespace the Environment created (never an adopted one).")
    public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

    @Size(max = 200)
    @ValidationRule(value = "self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))", message = "spec.config keys must be valid environment variable names")
    @ValidationRule(value = "self.all(k, size(self[k]) <= 16384)", message = "spec.config values must be at most 16384 characters")
    @JsonPropertyDescription("Variables every Application in the environment receives (an Application's own env wins).")
    public Map<String, String> config;

    @Size(max = 200)
    @ValidationRule(value = "self.all(k, k.matches('^[A-Za-z][A-Za-z0-9]*$'))", message = "spec.featureFlags keys must be camelCase words (letters and digits)")
    @JsonPropertyDescription("Feature flags, delivered as FEATURE_<UPPER_SNAKE>=true|false.")
    public Map<String, Boolean> featureFlags;

    @JsonPropertyDescription("ResourceQuota of the namespace.")
    public Quota quota;

    @JsonPropertyDescription("LimitRange defaults for containers that set no resources.")
    public ContainerDefaults containerDefaults;

    @JsonPropertyDescription("Pod Security and network isolation.")
    public Isolation isolation;

    @Size(max = 50)
    @JsonPropertyDescription("RoleBindings to the built-in view/edit/admin ClusterRoles.")
    public List<Access> access;

    @JsonPropertyDescription("Promotion gates for images arriving here.")
    public Promotion promotion;

    @JsonPropertyDescription("Labels on every alert of this environment's Applications (e.g. routing).")
    public Alerting alerting;

    /** ResourceQuota amounts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Quota {
        @ValidationRule(value = "isQuantity(string(self)) && !quantity(string(self)).isLessThan(quantity('0'))",
                message = "spec.quota.cpu must be a non-negative quantity such as 20 or 500m")
        @JsonPropertyDescription("Total CPU requests of all pods (ResourceQuota requests.cpu), e.g. 20 or 500m.")
        public Quantity cpu;
        @ValidationRule(value = "isQuantity(string(self)) && !quantity(string(self)).isLessThan(quantity('0'))",
                message = "spec.quota.memory must be a non-negative quantity such as 40Gi")
        @JsonPropertyDescription("Total memory requests of all pods (ResourceQuota requests.memory), e.g. 40Gi.")
        public Quantity memory;
        @ValidationRule(value = "isQuantity(string(self)) && quantity(string(self)).isInteger() && !quantity(string(self)).isLessThan(quantity('0'))",
                message = "spec.quota.pods must be a whole non-negative number such as 100")
        @JsonPropertyDescription("Most pods the namespace may hold (ResourceQuota pods), e.g. 100.")
        public Quantity pods;
    }

    /** LimitRange defaults. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ContainerDefaults {
        @ValidationRule(value = "isQuantity(string(self)) && quantity(string(self)).isGreaterThan(quantity('0'))",
                message = "spec.containerDefaults.cpu must be a positive quantity such as 250m")
        @JsonPropertyDescription("CPU request and limit of containers that set none (LimitRange default and defaultRequest), e.g. 250m.")
        public Quantity cpu;
        @ValidationRule(value = "isQuantity(string(self)) && quantity(string(self)).isGreaterThan(quantity('0'))",
                message = "spec.containerDefaults.memory must be a positive quantity such as 256Mi")
        @JsonPropertyDescription("Memory request and limit of containers that set none (LimitRange default and defaultRequest), e.g. 256Mi.")
        public Quantity memory;
    }

    /** Pod Security and NetworkPolicy. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.allowFrom) || size(self.allowFrom) == 0 || (has(self.networkPolicy) && self.networkPolicy == 'SameNamespace')",
            fieldPath = ".allowFrom",
            message = "spec.isolation.allowFrom needs spec.isolation.networkPolicy: SameNamespace (with None every namespace may connect)")
    public static class Isolation {
        /** Pod Security Standards levels. */
        public enum PodSecurity { privileged, baseline, restricted }

        /** NetworkPolicy modes. */
        public enum NetworkPolicyMode { None, SameNamespace }

        @JsonPropertyDescription("privileged | baseline | restricted, enforced by namespace label. Default by tier: restricted in Production, else baseline.")
        public PodSecurity podSecurity;

        @JsonPropertyDescription("Adopting a namespace never lowers the Pod Security levels it had (enforce, audit, warn) unless this is true. Those levels are put back when the Environment releases the namespace.")
        public Boolean allowPodSecurityDowngrade;

        @JsonPropertyDescription("None (default) | SameNamespace: deny ingress to every pod here except from this namespace and the allowFrom namespaces.")
        public NetworkPolicyMode networkPolicy;

        @Size(max = 50)
        @JsonPropertyDescription("Names of further namespaces allowed to reach pods here when networkPolicy is SameNamespace (e.g. ingress-nginx, monitoring).")
        public List<@Size(max = 63) @Pattern(DNS_LABEL) String> allowFrom;
    }

    /** A RoleBinding. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "[has(self.group), has(self.user), has(self.serviceAccount)].filter(x, x).size() == 1", message = "each spec.access entry needs exactly one of group, user or serviceAccount")
    @ValidationRule(value = "!has(self.group) || !self.group.startsWith('system:')", fieldPath = ".group",
            message = "spec.access[].group must not start with system: (the cluster's own groups, e.g. system:authenticated is every user)")
    @ValidationRule(value = "!has(self.user) || !self.user.startsWith('system:')", fieldPath = ".user",
            message = "spec.access[].user must not start with system: (the cluster's own components and ServiceAccounts)")
    public static class Access {
        /** The built-in ClusterRoles. */
        public enum Role { view, edit, admin }

        @Size(min = 1, max = 253)
        @JsonPropertyDescription("A group as your authenticator names it (OIDC group, ...). Not system:*.")
        public String group;
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("A user as your authenticator names it. Not system:*.")
        public String user;
        @Size(max = 253)
        @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        @JsonPropertyDescription("A ServiceAccount as namespace/name, or name for one in the environment's namespace.")
        public String serviceAccount;
        @Required
        @JsonPropertyDescription("view | edit | admin: the built-in ClusterRole bound in the environment's namespace. With the chart's admission policy, whoever writes the Environment must be allowed to bind this ClusterRole in that namespace themselves.")
        public Role role;
    }

    /** Evidence an image needs before it may run here. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.minSoakMinutes) || has(self.from)", fieldPath = ".minSoakMinutes",
            message = "spec.promotion.minSoakMinutes needs spec.promotion.from (the Environment the image must soak in)")
    public static class Promotion {
        @Size(max = 253)
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        @JsonPropertyDescription("Name of the Environment an image must have run healthy in (as the newest revision of the Application of the same name) before it may run here.")
        public String from;
        @Min(0)
        @Max(43200)
        @JsonPropertyDescription("Minutes the image must have run healthy in the from Environment. Default 0: healthy there is enough.")
        public Integer minSoakMinutes;
        @JsonPropertyDescription("Blue-green rollouts wait for runway.dev/promote. Default: true in Production.")
        public Boolean requireApproval;
    }

    /** Alert routing labels. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Alerting {
        @Size(max = 20)
        @ValidationRule(value = "self.all(k, k.matches('^[a-zA-Z_][a-zA-Z0-9_]*$'))", message = "spec.alerting.labels keys must be Prometheus label names (letters, digits, '_')")
        @ValidationRule(value = "self.all(k, size(self[k]) <= 1024)", message = "spec.alerting.labels values must be at most 1024 characters")
        @JsonPropertyDescription("Labels added to every alert rule.")
        public Map<String, String> labels;
    }
}
