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
import io.fabric8.kubernetes.api.model.Quantity;

/** The desired state of an Environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentSpec {
    /** Stages, from least to most protected. */
    public enum Tier { Development, Preview, Staging, UAT, Production }

    /** What deleting the Environment does to a namespace it created. */
    public enum DeletionPolicy { Retain, Delete }

    @Required
    @JsonPropertyDescription("Development | Preview | Staging | UAT | Production. Sets defaults (approval, PDBs, pod security, backups before migrations).")
    public Tier tier;

    @Size(max = 63)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message = "spec.namespace must be a DNS label (lower-case letters, digits, '-')")
    @JsonPropertyDescription("Namespace of this environment. Default: metadata.name.")
    public String namespace;

    @Default("false")
    @JsonPropertyDescription("Take over a namespace that already exists. Without it an existing namespace is refused, never silently taken.")
    public Boolean adoptExisting = false;

    @Default("Retain")
    @JsonPropertyDescription("Retain (default) keeps the namespace when the Environment is deleted; Delete removes a namespace the Environment created (never an adopted one).")
    public DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

    @Size(max = 200)
    @ValidationRule(value = "self.all(k, k.matches('^[A-Za-z_][A-Za-z0-9_]*$'))", message = "spec.config keys must be valid environment variable names")
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
        @ValidationRule(value = "isQuantity(string(self))", message = "spec.quota.cpu must be a quantity")
        @JsonPropertyDescription("Total CPU requests.")
        public Quantity cpu;
        @ValidationRule(value = "isQuantity(string(self))", message = "spec.quota.memory must be a quantity")
        @JsonPropertyDescription("Total memory requests.")
        public Quantity memory;
        @ValidationRule(value = "isQuantity(string(self))", message = "spec.quota.pods must be a quantity")
        @JsonPropertyDescription("Number of pods.")
        public Quantity pods;
    }

    /** LimitRange defaults. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ContainerDefaults {
        @ValidationRule(value = "isQuantity(string(self))", message = "spec.containerDefaults.cpu must be a quantity")
        @JsonPropertyDescription("Default CPU request and limit.")
        public Quantity cpu;
        @ValidationRule(value = "isQuantity(string(self))", message = "spec.containerDefaults.memory must be a quantity")
        @JsonPropertyDescription("Default memory request and limit.")
        public Quantity memory;
    }

    /** Pod Security and NetworkPolicy. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Isolation {
        /** Pod Security Standards levels. */
        public enum PodSecurity { privileged, baseline, restricted }

        /** NetworkPolicy modes. */
        public enum NetworkPolicyMode { None, SameNamespace }

        @JsonPropertyDescription("privileged | baseline | restricted, enforced by namespace label. Default by tier: restricted in Production, else baseline.")
        public PodSecurity podSecurity;

        @JsonPropertyDescription("None | SameNamespace (default-deny ingress except from this namespace and allowFrom).")
        public NetworkPolicyMode networkPolicy;

        @Size(max = 50)
        @JsonPropertyDescription("Namespaces allowed to reach pods here when networkPolicy is SameNamespace.")
        public List<String> allowFrom;
    }

    /** A RoleBinding. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "[has(self.group), has(self.user), has(self.serviceAccount)].filter(x, x).size() == 1", message = "each spec.access entry needs exactly one of group, user or serviceAccount")
    public static class Access {
        /** The built-in ClusterRoles. */
        public enum Role { view, edit, admin }

        @Size(max = 253)
        public String group;
        @Size(max = 253)
        public String user;
        @Size(max = 253)
        @JsonPropertyDescription("A ServiceAccount as namespace/name, or name for one in the environment's namespace.")
        public String serviceAccount;
        @Required
        @JsonPropertyDescription("view | edit | admin.")
        public Role role;
    }

    /** Evidence an image needs before it may run here. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Promotion {
        @Size(max = 253)
        @JsonPropertyDescription("Environment an image must have run healthy in first.")
        public String from;
        @Min(0)
        @Max(43200)
        @JsonPropertyDescription("Minutes it must have run healthy there.")
        public Integer minSoakMinutes;
        @JsonPropertyDescription("Blue-green rollouts wait for runway.dev/promote. Default: true in Production.")
        public Boolean requireApproval;
    }

    /** Alert routing labels. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Alerting {
        @JsonPropertyDescription("Labels added to every alert rule.")
        public Map<String, String> labels;
    }
}
