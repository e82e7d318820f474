package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;

/** The replica count an Application asks for. */
final class Replicas {
    static final int DEFAULT = 1;

    private Replicas() {
    }

    static int desired(Application app) {
        var spec = app.getSpec();
        if (spec.autoscaling != null) {
            return spec.autoscaling.minReplicas;
        }
        return spec.replicas != null ? spec.replicas : DEFAULT;
    }
}
