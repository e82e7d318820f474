package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Volume;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Informers;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The PersistentVolumeClaims of spec.volumes[].claim. Not a dependent: a dependent's child carries
 * an owner reference, and the garbage collector would delete the data with the Application. These
 * are created once, keep no owner reference unless deleteWithApplication asks for one, and are
 * found again by label when an Application of the same name comes back. Only two things change on
 * an existing claim: its size grows (the StorageClass must allow expansion; the API server's
 * refusal is reported) and the owner reference follows deleteWithApplication.
 */
final class VolumeClaims {
    static final String INFORMER = "volume-claims";
    static final String COMPONENT = "volume";

    private VolumeClaims() {
    }

    static InformerEventSource<PersistentVolumeClaim, Application> informer(EventSourceContext<Application> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(PersistentVolumeClaim.class, Application.class)
                .withName(INFORMER)
                .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.COMPONENT + "=" + COMPONENT)
                .withSecondaryToPrimaryMapper(pvc -> {
                    Map<String, String> labels = pvc.getMetadata().getLabels();
                    String app = labels == null ? null : labels.get(Labels.INSTANCE);
                    return app == null ? Set.of() : Set.of(new ResourceID(app, pvc.getMetadata().getNamespace()));
                })
                .build(), context);
    }

    /** Creates the missing claims and brings size and ownership of the existing ones in line; writes nothing when they are. */
    static void converge(Application app, Context<Application> context, String environment, EventRecorder events) {
        List<Volume> claims = app.getSpec().volumes == null ? List.of()
                : app.getSpec().volumes.stream().filter(v -> v.claim != null).toList();
        if (claims.isEmpty()) {
            return;
        }
        var informer = Informers.of(context, PersistentVolumeClaim.class, INFORMER);
        String ns = app.getMetadata().getNamespace();
        for (Volume volume : claims) {
            String name = ApplicationNames.claim(app, volume);
            Optional<PersistentVolumeClaim> current = informer.get(new ResourceID(name, ns));
            if (current.isEmpty()) {
                try {
                    context.getClient().resource(desired(app, volume, environment)).create();
                    events.normal(app, "VolumeClaimCreated", "PersistentVolumeClaim " + name + " created for spec.volumes " + volume.name
                            + (Boolean.TRUE.equals(volume.claim.deleteWithApplication) ? "; it is deleted with the Application"
                                    : "; it stays when the Application is deleted"));
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
                continue;
            }
            PersistentVolumeClaim pvc = current.get();
            List<OwnerReference> owners = ownerReferences(app, pvc, Boolean.TRUE.equals(volume.claim.deleteWithApplication));
            Quantity requested = pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null ? null
                    : pvc.getSpec().getResources().getRequests().get("storage");
            boolean grow = requested != null && Quantity.getAmountInBytes(new Quantity(volume.claim.size)).compareTo(Quantity.getAmountInBytes(requested)) > 0;
            boolean reown = !Objects.equals(owners, pvc.getMetadata().getOwnerReferences() == null ? List.of()
                    : pvc.getMetadata().getOwnerReferences());
            if (grow || reown) {
                context.getClient().persistentVolumeClaims().inNamespace(ns).withName(name).edit(p -> {
                    if (grow) {
                        p.getSpec().getResources().getRequests().put("storage", new Quantity(volume.claim.size));
                    }
                    p.getMetadata().setOwnerReferences(owners);
                    return p;
                });
                if (grow) {
                    events.normal(app, "VolumeClaimResized", "PersistentVolumeClaim " + name + " asked to grow to " + volume.claim.size);
                }
            }
        }
    }

    /** The PVC's owner references with this Application's present exactly when the data goes with it. */
    private static List<OwnerReference> ownerReferences(Application app, PersistentVolumeClaim pvc, boolean owned) {
        List<OwnerReference> owners = new ArrayList<>(pvc.getMetadata().getOwnerReferences() == null ? List.of()
                : pvc.getMetadata().getOwnerReferences());
        owners.removeIf(o -> "Application".equals(o.getKind()) && Objects.equals(o.getName(), app.getMetadata().getName()));
        if (owned) {
            owners.add(ownerReference(app));
        }
        return owners;
    }

    private static OwnerReference ownerReference(Application app) {
        return new OwnerReferenceBuilder().withApiVersion(app.getApiVersion()).withKind(app.getKind())
                .withName(app.getMetadata().getName()).withUid(app.getMetadata().getUid())
                .withBlockOwnerDeletion(true).withController(false).build();
    }

    static PersistentVolumeClaim desired(Application app, Volume volume, String environment) {
        List<String> modes = volume.claim.accessModes == null || volume.claim.accessModes.isEmpty() ? List.of("ReadWriteOnce")
                : volume.claim.accessModes.stream().map(Enum::name).toList();
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                    .withName(ApplicationNames.claim(app, volume))
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, COMPONENT, environment))
                    .withOwnerReferences(Boolean.TRUE.equals(volume.claim.deleteWithApplication) ? List.of(ownerReference(app)) : List.of())
                .endMetadata()
                .withNewSpec()
                    .withAccessModes(modes)
                    .withStorageClassName(volume.claim.storageClassName)
                    .withNewResources().addToRequests("storage", new Quantity(volume.claim.size)).endResources()
                .endSpec()
                .build();
    }
}
