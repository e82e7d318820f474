package dev.runway.operator.application;

import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.TierDefaults;

/**
 * Whether the namespace's Pod Security level admits the pods spec.securityContext asks for. The
 * API server would reject such pods only when the ReplicaSet creates them, an error that reaches
 * nobody; Runway refuses before rolling anything out and names both fields. Everything else
 * Runway puts in a pod meets the restricted profile, so running as root is the one choice to check,
 * besides what spec.podTemplate brings in ({@link PodTemplateSecurity}).
 */
final class PodSecurityCheck {
    static final String REASON = "PodSecurityForbids";

    private PodSecurityCheck() {
    }

    /**
     * @param environment    the Environment managing the namespace, if any (its level is the namespace's)
     * @param namespaceLevel the namespace's pod-security.kubernetes.io/enforce label, read only without an Environment
     * @return why the pods would be rejected (cause and remedy), or empty
     */
    static Optional<String> refusal(Application app, Optional<Environment> environment, Optional<String> namespaceLevel) {
        Optional<String> root = rootRefusal(app, environment, namespaceLevel);
        return root.isPresent() ? root : templateRefusal(app, environment, namespaceLevel);
    }

    private static Optional<String> rootRefusal(Application app, Optional<Environment> environment, Optional<String> namespaceLevel) {
        var choices = app.getSpec().securityContext;
        if (choices == null || !choices.root()) {
            return Optional.empty();
        }
        if (environment.isPresent()) {
            String level = TierDefaults.of(environment.get().getSpec()).podSecurity().name();
            if ("restricted".equals(level)) {
                return Optional.of("spec.securityContext.runAsRoot needs Pod Security baseline or privileged, but Environment "
                        + environment.get().getMetadata().getName() + " enforces restricted in namespace " + app.getMetadata().getNamespace()
                        + " (its spec.isolation.podSecurity" + (explicit(environment.get()) ? "" : ", the tier's default") + "), so the API server"
                        + " would reject every pod. Set spec.isolation.podSecurity: baseline on Environment "
                        + environment.get().getMetadata().getName() + ", or run the image as a non-root user"
                        + " (spec.securityContext.runAsUser) and remove spec.securityContext.runAsRoot. Nothing is rolled out until then.");
            }
            return Optional.empty();
        }
        if (namespaceLevel.filter("restricted"::equals).isPresent()) {
            return Optional.of("spec.securityContext.runAsRoot needs Pod Security baseline or privileged, but namespace "
                    + app.getMetadata().getNamespace() + " enforces restricted (label pod-security.kubernetes.io/enforce), so the API"
                    + " server would reject every pod. Lower the namespace's level to baseline, or run the image as a non-root user"
                    + " (spec.securityContext.runAsUser) and remove spec.securityContext.runAsRoot. Nothing is rolled out until then.");
        }
        return Optional.empty();
    }

    /** What spec.podTemplate brings in that the namespace's level forbids. */
    private static Optional<String> templateRefusal(Application app, Optional<Environment> environment, Optional<String> namespaceLevel) {
        if (app.getSpec().podTemplate == null) {
            return Optional.empty();
        }
        String level = environment.map(e -> TierDefaults.of(e.getSpec()).podSecurity().name()).or(() -> namespaceLevel).orElse(null);
        if (level == null) {
            return Optional.empty();
        }
        var violations = PodTemplateSecurity.violations(app.getSpec().podTemplate, level);
        if (violations.isEmpty()) {
            return Optional.empty();
        }
        String where = environment.map(e -> "Environment " + e.getMetadata().getName() + " enforces " + level + " in namespace "
                + app.getMetadata().getNamespace() + " (its spec.isolation.podSecurity" + (explicit(e) ? "" : ", the tier's default") + ")")
                .orElse("namespace " + app.getMetadata().getNamespace() + " enforces " + level + " (label pod-security.kubernetes.io/enforce)");
        return Optional.of(String.join(", ", violations) + " in spec.podTemplate: Pod Security " + level + " forbids it, and " + where
                + ", so the API server would reject every pod. Remove it from spec.podTemplate, or raise the namespace's level"
                + (environment.isPresent() ? " (spec.isolation.podSecurity on Environment " + environment.get().getMetadata().getName() + ")" : "")
                + ". Nothing is rolled out until then.");
    }

    private static boolean explicit(Environment env) {
        return env.getSpec().isolation != null && env.getSpec().isolation.podSecurity != null;
    }
}
