package dev.runway.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;

/** Turns a reconcile failure into one line an SRE can act on. */
public final class ErrorMessages {
    private ErrorMessages() {
    }

    /** An optimistic-locking conflict: harmless, the retry reads the object again. */
    public static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() == 409) {
                return true;
            }
            // A child's write lost to another writer inside the workflow (e.g. Argo Rollouts switched a
            // Service's selector between the read and the apply): a conflict when every failure is one.
            if (t instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
                return aggregated.getAggregatedExceptions().values().stream().allMatch(ErrorMessages::isConflict);
            }
        }
        return false;
    }

    /** The API server said 404 about this very object (deleted while it was reconciled; its informer may not know yet). */
    public static boolean isGone(HasMetadata resource, Throwable e) {
        String plural = HasMetadata.getPlural(resource.getClass());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() == 404 && k.getStatus() != null && k.getStatus().getDetails() != null
                    && plural.equals(k.getStatus().getDetails().getKind())
                    && resource.getMetadata().getName().equals(k.getStatus().getDetails().getName())) {
                return true;
            }
        }
        return false;
    }

    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
                // One line per failed child: "deployment: <the API server's answer>".
                StringBuilder text = new StringBuilder();
                aggregated.getAggregatedExceptions().forEach((child, failure) -> text.append(text.length() > 0 ? "; " : "")
                        .append(child).append(": ").append(describe(failure)));
                return text.toString();
            }
        }
        Throwable cause = e;
        // Aggregated workflow errors wrap the API server's answer: report the innermost useful one.
        while (cause.getCause() != null && !(cause instanceof KubernetesClientException)) {
            cause = cause.getCause();
        }
        if (e.getSuppressed().length > 0 && !(cause instanceof KubernetesClientException)) {
            cause = e.getSuppressed()[0];
            while (cause.getCause() != null && !(cause instanceof KubernetesClientException)) {
                cause = cause.getCause();
            }
        }
        if (cause instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
            String hint = switch (k.getCode()) {
                // The namespace lifecycle answers 403 too: new objects in a namespace being deleted.
                case 403 -> namespaceTerminating(k) ? " (the namespace is being deleted)" : " (the operator lacks a permission: check its ClusterRole)";
                case 422 -> " (the API server rejected the object Runway built: check the fields named above)";
                case 409 -> " (a conflicting write; Runway retries)";
                default -> "";
            };
            return k.getStatus().getMessage() + hint;
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    private static boolean namespaceTerminating(KubernetesClientException k) {
        return k.getStatus().getDetails() != null && k.getStatus().getDetails().getCauses() != null
                && k.getStatus().getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    }
}
