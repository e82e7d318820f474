package dev.runway.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Submits objects to the real API server and checks how it answers. */
final class AdmissionAssertions {
    private AdmissionAssertions() {
    }

    static GenericKubernetesResource parse(KubernetesClient client, String yaml, String namespace) {
        GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        if (namespace != null) {
            resource.getMetadata().setNamespace(namespace);
        }
        return resource;
    }

    /** Dry-run create: the object is validated (schema, CEL) but never stored. */
    static void assertRejected(KubernetesClient client, AdmissionCase c, String namespace) {
        GenericKubernetesResource resource = parse(client, c.yaml(), namespace);
        assertThatThrownBy(() -> client.resource(resource).dryRun().create())
                .as(c.name())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertNamesTheField(c, e));
    }

    private static void assertNamesTheField(AdmissionCase c, KubernetesClientException e) {
        assertThat(e.getCode()).as("%s: HTTP status", c.name()).isEqualTo(422);
        String text = e.getStatus().getMessage();
        assertThat(text).as("%s: names the field", c.name()).contains(c.field());
        assertThat(text).as("%s: says what is wrong", c.name()).contains(c.message());
    }

    /** Stores {@code c.before()} for real, then expects the dry-run update to {@code c.yaml()} to be rejected. */
    static void assertRejectedOnUpdate(KubernetesClient client, AdmissionCase c, String namespace) {
        GenericKubernetesResource stored = client.resource(parse(client, c.before(), namespace)).create();
        try {
            GenericKubernetesResource changed = parse(client, c.yaml(), namespace);
            assertThatThrownBy(() -> updateOverCurrent(client, changed, true))
                    .as(c.name())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertNamesTheField(c, e));
        } finally {
            client.resource(stored).delete();
        }
    }

    /**
     * Updates {@code changed} over the stored object, with the stored object's current
     * resourceVersion: the operator may write status between the test's create and its update,
     * which is a conflict (409), not the validation answer (422) under test.
     */
    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T updateOverCurrent(KubernetesClient client, T changed,
            boolean dryRun) {
        for (int attempt = 0;; attempt++) {
            var current = client.resource(changed).get();
            changed.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            try {
                return dryRun ? client.resource(changed).dryRun().update() : client.resource(changed).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    static void assertAccepted(KubernetesClient client, String yaml, String namespace) {
        client.resource(parse(client, yaml, namespace)).dryRun().create();
    }
}
