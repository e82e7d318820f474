package dev.runway.operator.common;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec;

/** Facts about an Environment that its own controller and the Applications in it both need. */
public final class Environments {
    /** Name of the ConfigMap holding an environment's shared variables, in its namespace. */
    public static final String CONFIG_MAP = "runway-environment";

    private Environments() {
    }

    /** The namespace an Environment manages: spec.namespace, else its name. */
    public static String namespaceOf(Environment env) {
        return env.getSpec() != null && env.getSpec().namespace != null ? env.getSpec().namespace : env.getMetadata().getName();
    }

    /**
     * Whether {@code env} manages {@code namespace}: it names it and its controller took it (created
     * or adopted; status.namespace is set then). A refused Environment (the namespace exists
     * without adoptExisting, or belongs to another Environment) has no say over what runs there.
     */
    public static boolean manages(Environment env, String namespace) {
        return namespace.equals(namespaceOf(env)) && env.getStatus() != null && namespace.equals(env.getStatus().namespace);
    }

    /** The variables every Application of the environment receives: config plus FEATURE_* flags. */
    public static Map<String, String> variables(EnvironmentSpec spec) {
        Map<String, String> vars = new TreeMap<>();
        if (spec == null) {
            return vars;
        }
        if (spec.config != null) {
            vars.putAll(spec.config);
        }
        if (spec.featureFlags != null) {
            spec.featureFlags.forEach((flag, on) -> vars.put(featureVariable(flag), String.valueOf(Boolean.TRUE.equals(on))));
        }
        return vars;
    }

    /** gaitAnalysis → FEATURE_GAIT_ANALYSIS; audioV2 → FEATURE_AUDIO_V2. */
    public static String featureVariable(String flag) {
        String snake = flag.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z])([A-Z][a-z])", "$1_$2");
        return "FEATURE_" + snake.toUpperCase(Locale.ROOT);
    }
}
