package dev.runway.operator.common;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Label and annotation keys Runway puts on what it makes, and the standard label sets. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "runway-operator";
    public static final String ENVIRONMENT = "runway.dev/environment";
    /**
     * On an Application, BackupPolicy, MigrationJob or Restore: the operator shard that reconciles it
     * ({@link Shard}); without it, the default shard does.
     */
    public static final String SHARD = "runway.dev/shard";
    /** Selects every object the operator manages; its informers watch only these. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

    public static final String CONFIG_HASH_ANNOTATION = Annotations.CONFIG_HASH;
    public static final String RESTARTED_AT_ANNOTATION = Annotations.RESTARTED_AT;

    private Labels() {
    }

    /** The labels every child of {@code owner} carries. */
    public static Map<String, String> standard(HasMetadata owner, String component) {
        return standard(owner, component, environmentOf(owner));
    }

    /** The labels every child of {@code owner} carries, in the Environment named {@code environment} (or none). */
    public static Map<String, String> standard(HasMetadata owner, String component, String environment) {
        Map<String, String> labels = new LinkedHashMap<>(selector(owner));
        labels.put(MANAGED_BY, MANAGER);
        if (component != null) {
            labels.put(COMPONENT, component);
        }
        if (environment != null) {
            labels.put(ENVIRONMENT, environment);
        }
        return labels;
    }

    /** The stable subset used in selectors (a Deployment's selector is immutable). */
    public static Map<String, String> selector(HasMetadata owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, owner.getMetadata().getName());
        labels.put(INSTANCE, owner.getMetadata().getName());
        return labels;
    }

    private static String environmentOf(HasMetadata owner) {
        Map<String, String> ownLabels = owner.getMetadata().getLabels();
        return ownLabels == null ? null : ownLabels.get(ENVIRONMENT);
    }
}
