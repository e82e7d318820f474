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
        String name = ns.name() + "-" + claim;
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteOnce")
                    .withNewHostPath().withPath("/tmp/" + name).endHostPath()
                    .withNewClaimRef().withNamespace(ns.name()).withName(claim).endClaimRef()
                .endSpec().build()).create();
        try {
            body.run();
        } finally {
            client.persistentVolumes().withName(name).delete();
        }
    }
}
