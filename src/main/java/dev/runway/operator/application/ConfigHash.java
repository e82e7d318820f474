package dev.runway.operator.application;

import java.util.Map;
import java.util.TreeMap;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Hashes;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The hash of an Application's effective configuration, put on the pod template. */
final class ConfigHash {
    private ConfigHash() {
    }

    static String of(Application app, Context<Application> context) {
        Map<String, String> inputs = new TreeMap<>();
        if (app.getSpec().env != null) {
            app.getSpec().env.forEach((k, v) -> inputs.put("env/" + k, v));
        }
        return Hashes.ofMap(inputs, 16);
    }
}
