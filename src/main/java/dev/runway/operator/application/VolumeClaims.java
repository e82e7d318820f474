package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Volume;
import dev.runway.operator.common.ErrorMessages;
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
 * an existing claim: its size grows (the StorageClass must allow expansion) and the owner
 * reference follows deleteWithApplication. Any other edit (shrink, class, access modes) and a
 * growth the API server refuses are reported in the VolumeClaims condition, never ignored.
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

    /**
     * Creates the missing claims and brings size and ownership of the existing ones in line; writes
     * nothing when they are. An edit a claim cannot take (a smaller size, another class or access
     * modes, a growth the StorageClass refuses) is not applied and comes back as a refusal naming
     * the field, for the VolumeClaims condition and a Warning event.
     *
     * @param refusedBefore the refusals the status reports now: a growth the API server refused is not asked again
     */
    static List<String> converge(Application app, Context<Application> context, String environment, EventRecorder events,
            List<String> refusedBefore) {
        List<Volume> claims = app.getSpec().volumes == null ? List.of()
                : app.getSpec().volumes.stream().filter(v -> v.claim != null).toList();
        List<String> refusals = new ArrayList<>();
        if (claims.isEmpty()) {
            return refusals;
        }
        var informer = Informers.of(context, PersistentVolumeClaim.class, INFORMER);
        String ns = app.getMetadata().getNamespace();
        for (Volume volume : claims) {
            String name = ApplicationNames.claim(app, volume);
            String field = "spec.volumes[" + app.getSpec().volumes.indexOf(volume) + "].claim";
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
            refusals.addAll(fixed(volume, pvc, field, name));
            List<OwnerReference> owners = ownerReferences(app, pvc, Boolean.TRUE.equals(volume.claim.deleteWithApplication));
            Quantity requested = pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null ? null
                    : pvc.getSpec().getResources().getRequests().get("storage");
            int bySize = requested == null ? 0 : Quantity.getAmountInBytes(new Quantity(volume.claim.size)).compareTo(Quantity.getAmountInBytes(requested));
            if (bySize < 0) {
                refusals.add(field + ".size is " + volume.claim.size + " but PersistentVolumeClaim " + name + " holds " + requested.toString()
                        + ", and a claim cannot shrink: set it back to " + requested.toString() + " or more (for a smaller claim, give the volume another name)");
            }
            String growRefused = refusedBefore.stream().filter(r -> r.startsWith(growthPrefix(field, volume))).findFirst().orElse(null);
            boolean grow = bySize > 0 && growRefused == null;
            if (bySize > 0 && growRefused != null) {
                refusals.add(growRefused);
            }
            boolean reown = !Objects.equals(owners, pvc.getMetadata().getOwnerReferences() == null ? List.of()
                    : pvc.getMetadata().getOwnerReferences());
            if (grow || reown) {
                try {
                    context.getClient().persistentVolumeClaims().inNamespace(ns).withName(name).edit(p -> {
                        if (grow) {
                            p.getSpec().getResources().getRequests().put("storage", new Quantity(volume.claim.size));
                        }
                        p.getMetadata().setOwnerReferences(owners);
                        return p;
                    });
                } catch (KubernetesClientException e) {
                    if (!grow || (e.getCode() != 422 && e.getCode() != 403)) {
                        throw e;
                    }
                    // The API server refuses the growth (the class does not allow expansion, the claim is not bound).
                    refusals.add(growthPrefix(field, volume) + " but the API server refused to grow PersistentVolumeClaim " + name + ": "
                            + ErrorMessages.describe(e).replace("; ", ", ") + ". Set it back to " + requested.toString()
                            + ", or use a StorageClass with allowVolumeExpansion (for a new claim, give the volume another name)");
                    continue;
                }
                if (grow) {
                    events.normal(app, "VolumeClaimResized", "PersistentVolumeClaim " + name + " asked to grow to " + volume.claim.size);
                }
            }
        }
        return refusals;
    }

    private static String growthPrefix(String field, Volume volume) {
        return field + ".size asks for " + volume.claim.size + ",";
    }

    /** What a claim cannot change once it exists: its class and access modes. */
    private static List<String> fixed(Volume volume, PersistentVolumeClaim pvc, String field, String name) {
        List<String> refusals = new ArrayList<>();
        String storageClass = pvc.getSpec().getStorageClassName();
        if (volume.claim.storageClassName != null && !volume.claim.storageClassName.equals(storageClass)) {
            refusals.add(field + ".storageClassName is " + volume.claim.storageClassName + " but PersistentVolumeClaim " + name
                    + " was made with " + (storageClass == null ? "the default class" : storageClass)
                    + ", and a claim's class cannot change: set it back (for a claim of another class, give the volume another name)");
        }
        List<String> modes = volume.claim.accessModes == null || volume.claim.accessModes.isEmpty() ? List.of("ReadWriteOnce")
                : volume.claim.accessModes.stream().map(Enum::name).toList();
        List<String> actual = pvc.getSpec().getAccessModes() == null ? List.of() : pvc.getSpec().getAccessModes();
        if (!new java.util.HashSet<>(modes).equals(new java.util.HashSet<>(actual))) {
            refusals.add(field + ".accessModes are " + modes + " but PersistentVolumeClaim " + name + " was made with " + actual
                    + ", and a claim's access modes cannot change: set them back (for other modes, give the volume another name)");
        }
        return refusals;
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
