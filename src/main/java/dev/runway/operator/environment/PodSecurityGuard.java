package dev.runway.operator.environment;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Isolation.PodSecurity;
import io.fabric8.kubernetes.api.model.Namespace;

/**
 * Adoption never lowers a namespace's Pod Security unless spec.isolation.allowPodSecurityDowngrade
 * says so, and release gives back what was there before. The levels an adopted namespace had are
 * recorded on the namespace itself (not in the Environment's status, which can be lost) at adoption,
 * as {@code enforce=restricted,warn=baseline} (empty: none were set).
 */
final class PodSecurityGuard {
    static final String BEFORE_ANNOTATION = Annotations.POD_SECURITY_BEFORE_ADOPTION;
    static final String DOWNGRADE = "PodSecurityDowngrade";
    private static final String PREFIX = "pod-security.kubernetes.io/";
    private static final List<String> MODES = List.of("enforce", "audit", "warn");

    private PodSecurityGuard() {
    }

    /** What {@code ns} had before Runway: its labels now when adopting, else the record; null when nothing was recorded. */
    static String before(Namespace ns, boolean adopting) {
        if (adopting) {
            Map<String, String> labels = ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
            StringBuilder record = new StringBuilder();
            for (String mode : MODES) {
                String level = labels.get(PREFIX + mode);
                if (level != null) {
                    record.append(record.isEmpty() ? "" : ",").append(mode).append('=').append(level);
                }
            }
            return record.toString();
        }
        Map<String, String> annotations = ns.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(BEFORE_ANNOTATION);
    }

    /** The record parsed: mode → level, in enforce, audit, warn order. */
    static Map<String, String> parse(String record) {
        Map<String, String> levels = new LinkedHashMap<>();
        if (record != null && !record.isBlank()) {
            for (String pair : record.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    levels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return levels;
    }

    /** Why applying {@code desired} would lower a level of {@code record}, unless the Environment allows it. */
    static Optional<String> downgrade(Environment env, String namespace, String record, PodSecurity desired) {
        if (env.getSpec().isolation != null && Boolean.TRUE.equals(env.getSpec().isolation.allowPodSecurityDowngrade)) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> e : parse(record).entrySet()) {
            Optional<PodSecurity> was = level(e.getValue());
            if (was.isPresent() && was.get().ordinal() > desired.ordinal()) {
                return Optional.of("namespace " + namespace + " had Pod Security " + e.getKey() + "=" + e.getValue()
                        + " before this Environment; spec.isolation.podSecurity (or the tier default) is " + desired
                        + ", which would lower it, so nothing was changed. Raise spec.isolation.podSecurity, or set"
                        + " spec.isolation.allowPodSecurityDowngrade: true if lowering it is intended");
            }
        }
        return Optional.empty();
    }

    private static Optional<PodSecurity> level(String value) {
        for (PodSecurity p : PodSecurity.values()) {
            if (p.name().equals(value)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The levels to put back on release: each mode's recorded level, or null (remove the label) where there was none. */
    static Map<String, String> restore(String record) {
        Map<String, String> recorded = parse(record);
        Map<String, String> labels = new LinkedHashMap<>();
        MODES.forEach(mode -> labels.put(PREFIX + mode, recorded.get(mode)));
        return labels;
    }
}
