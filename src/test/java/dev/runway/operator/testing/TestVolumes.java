package dev.runway.operator.testing;

import java.util.Map;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

/** PersistentVolumes for tests: the local control plane has no provisioner. */
public final class TestVolumes {
    private TestVolumes() {
    }

    /** Runs {@code body} with a PV bound to {@code claim} in {@code ns}, so pods mounting it can be scheduled. */
    public static void withVolume(KubernetesClient client, TestNamespace ns, String claim, Runnable body) {
        withVolume(client, ns.name(), claim, "1Gi", body);
    }

    /** The same for a claim of {@code size} (a PV binds only claims no larger than itself) in any namespace. */
    public static void withVolume(KubernetesClient client, String namespace, String claim, String size, Runnable body) {
        String name = namespace + "-" + claim;
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new Quantity(size))).withAccessModes("ReadWriteOnce")
                    .withNewHostPath().withPath("/tmp/" + name).endHostPath()
                    .withNewClaimRef().withNamespace(namespace).withName(claim).endClaimRef()
                .endSpec().build()).create();
        try {
            body.run();
        } finally {
            client.persistentVolumes().withName(name).delete();
        }
    }
}
