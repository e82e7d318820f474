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
 * explicitly. Pod Security labels stay: workloads keep running there and must keep their guard.
 */
final class NamespaceRelease {
    private NamespaceRelease() {
    }

    static void release(KubernetesClient client, Namespace ns) {
        List<String> ops = new ArrayList<>();
        remove(ops, "labels", ns.getMetadata().getLabels(), Labels.ENVIRONMENT);
        remove(ops, "labels", ns.getMetadata().getLabels(), Labels.MANAGED_BY);
        remove(ops, "annotations", ns.getMetadata().getAnnotations(), NamespaceOwnership.CREATED_BY_ANNOTATION);
        if (!ops.isEmpty()) {
            client.namespaces().withName(ns.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON), "[" + String.join(",", ops) + "]");
        }
    }

    private static void remove(List<String> ops, String field, Map<String, String> values, String key) {
        if (values != null && values.containsKey(key)) {
            ops.add("{\"op\":\"remove\",\"path\":\"/metadata/" + field + "/" + key.replace("~", "~0").replace("/", "~1") + "\"}");
        }
    }
}
