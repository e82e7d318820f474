package dev.runway.operator.application;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Evidence;
import dev.runway.operator.common.EvidenceSignatures;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Keeps status.evidence: each image digest the pods ran healthy (the imageID their container
 * statuses report), when it started serving healthy and when it stopped, signed with the
 * operator's key. Kept apart from the 10-entry history and bounded to {@link #LIMIT} entries, so an
 * image stays promotable after this Environment moved on; keyed by digest, so a tag pushed again
 * starts without evidence. The pods are read only when the serving image turns healthy, or while
 * it has no entry yet: an Application at rest reads nothing and writes nothing.
 */
final class PromotionEvidence {
    static final int LIMIT = 20;

    private PromotionEvidence() {
    }

    /**
     * @param servesHealthy the serving image (status.stableImage) runs fully available
     * @param pods          the Application's pods, read when needed
     */
    static void update(ApplicationStatus before, ApplicationStatus after, Application app, ApplicationPlan plan, boolean servesHealthy,
            Supplier<List<Pod>> pods, Instant now, byte[] key) {
        String stable = after.stableImage;
        List<Evidence> kept = new ArrayList<>();
        for (Evidence e : after.evidence == null ? List.<Evidence>of() : after.evidence) {
            if (EvidenceSignatures.valid(key, app, e)) {
                kept.add(e); // an entry that does not verify was not written by the operator: dropped
            }
        }
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        boolean stableFails = !servesHealthy && after.phase == ApplicationStatus.Phase.Degraded && stable != null
                && stable.equals(plan.image()) && plan.hold() == null;
        if (stableFails) {
            for (Evidence e : kept) {
                if (e.retiredAt == null && stable.equals(e.image)) {
                    e.retiredAt = at;
                    e.failed = true;
                    e.signature = EvidenceSignatures.sign(key, app, e);
                }
            }
        }
        boolean serving = kept.stream().anyMatch(e -> e.retiredAt == null && Objects.equals(e.image, stable));
        boolean changed = before == null || before.phase != after.phase || !Objects.equals(before.restartedAt, after.restartedAt);
        if (servesHealthy && stable != null && (changed || !serving)) {
            Set<String> digests = digests(pods.get(), stable);
            if (!digests.isEmpty()) {
                for (Evidence e : kept) {
                    if (e.retiredAt == null && !(stable.equals(e.image) && digests.contains(e.digest))) {
                        e.retiredAt = at; // replaced by another image, or by another digest of the same tag
                        e.signature = EvidenceSignatures.sign(key, app, e);
                    }
                }
                for (String digest : digests) {
                    boolean known = kept.stream().anyMatch(e -> e.retiredAt == null && stable.equals(e.image) && digest.equals(e.digest));
                    if (!known) {
                        Evidence e = new Evidence();
                        e.image = stable;
                        e.digest = digest;
                        e.healthyAt = at;
                        e.signature = EvidenceSignatures.sign(key, app, e);
                        kept.add(0, e);
                    }
                }
            }
        }
        after.evidence = kept.isEmpty() ? null : new ArrayList<>(kept.subList(0, Math.min(LIMIT, kept.size())));
    }

    /** The image IDs the ready containers running {@code image} report. */
    static Set<String> digests(List<Pod> pods, String image) {
        Set<String> out = new LinkedHashSet<>();
        for (Pod p : pods) {
            if (p.getMetadata().getDeletionTimestamp() != null || p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
                continue;
            }
            p.getStatus().getContainerStatuses().stream()
                    .filter(c -> image.equals(c.getImage()) || image.equals(imageOfSpec(p, c.getName())))
                    .filter(c -> Boolean.TRUE.equals(c.getReady()) && c.getImageID() != null && !c.getImageID().isBlank())
                    .forEach(c -> out.add(c.getImageID()));
        }
        return out;
    }

    private static String imageOfSpec(Pod p, String container) {
        return p.getSpec().getContainers().stream().filter(c -> c.getName().equals(container)).map(c -> c.getImage()).findFirst().orElse(null);
    }
}
