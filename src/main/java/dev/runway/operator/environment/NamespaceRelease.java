package dev.runway.operator.environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Hands a namespace back when its Environment goes but the namespace stays: removes the label and
 * annotation that tie it to the Environment, so a later Environment of the same name must adopt it
 * explicitly. Pod Security labels of a namespace Runway created stay: workloads keep running there
 * and must keep their guard. An adopted namespace gets back the levels it had before adoption
 * (recorded in {@link PodSecurityGuard#BEFORE_ANNOTATION}); one adopted before that record existed keeps Runway's.
 */
final class NamespaceRelease {
    private NamespaceRelease() {
    }

    static void release(KubernetesClient client, Namespace ns) {
        List<String> ops = new ArrayList<>();
        remove(ops, "labels", ns.getMetadata().getLabels(), Labels.ENVIRONMENT);
        remove(ops, "labels", ns.getMetadata().getLabels(), Labels.MANAGED_BY);
        remove(ops, "annotations", ns.getMetadata().getAnnotations(), NamespaceOwnership.CREATED_BY_ANNOTATION);
        String before = ns.getMetadata().getAnnotations() == null ? null
                : ns.getMetadata().getAnnotations().get(PodSecurityGuard.BEFORE_ANNOTATION);
        if (before != null) {
            Map<String, String> labels = ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
            PodSecurityGuard.restore(before).forEach((key, level) -> {
                if (level != null) {
                    ops.add("{\"op\":\"add\",\"path\":\"/metadata/labels/" + pointer(key) + "\",\"value\":\"" + level + "\"}");
                } else {
                    remove(ops, "labels", labels, key);
                }
            });
            remove(ops, "annotations", ns.getMetadata().getAnnotations(), PodSecurityGuard.BEFORE_ANNOTATION);
        }
        if (!ops.isEmpty()) {
            client.namespaces().withName(ns.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON), "[" + String.join(",", ops) + "]");
        }
    }

    private static void remove(List<String> ops, String field, Map<String, String> values, String key) {
        if (values != null && values.containsKey(key)) {
            ops.add("{\"op\":\"remove\",\"path\":\"/metadata/" + field + "/" + pointer(key) + "\"}");
        }
    }

    private static String pointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
