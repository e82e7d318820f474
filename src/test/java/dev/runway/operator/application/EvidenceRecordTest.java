package dev.runway.operator.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Evidence;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.common.EvidenceSignatures;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** How status.evidence follows what the pods ran: recorded, retired, failed, bounded, and read from the pods only when needed. */
@Tag(Tiers.UNIT)
class EvidenceRecordTest {
    static final byte[] KEY = "operator key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String V1 = "example.com/shop:1";
    static final String V2 = "example.com/shop:2";

    final AtomicInteger podReads = new AtomicInteger();

    static Application app() {
        Application app = KstatusTest.app("{image: \"" + V1 + "\", port: 8080}");
        app.getMetadata().setUid("uid-1");
        return app;
    }

    static Pod pod(String image, String imageID, boolean ready) {
        return new KubernetesSerialization().unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec: {containers: [{name: app, image: "%s"}]}
                status: {containerStatuses: [{name: app, image: "%s", imageID: "%s", ready: %s}]}
                """.formatted(image, image, imageID, ready), Pod.class);
    }

    static ApplicationStatus status(Phase phase, String stable, List<Evidence> evidence) {
        ApplicationStatus s = new ApplicationStatus();
        s.phase = phase;
        s.stableImage = stable;
        s.evidence = evidence == null ? null : new ArrayList<>(evidence);
        return s;
    }

    ApplicationStatus update(Application app, ApplicationStatus before, ApplicationStatus after, boolean serves, List<Pod> pods, Instant now) {
        ApplicationPlan plan = KstatusTest.plan(app);
        PromotionEvidence.update(before, after, app, plan, serves, () -> {
            podReads.incrementAndGet();
            return pods;
        }, now, KEY);
        return after;
    }

    @Test
    void aDigestTurningHealthyIsRecordedSignedAndAtRestThePodsAreNotRead() {
        Application app = app();
        var first = update(app, status(Phase.Progressing, null, null), status(Phase.Healthy, V1, null), true,
                List.of(pod(V1, V1 + "@sha256:aa", true), pod(V1, "", false)), T0);
        assertThat(first.evidence).singleElement().satisfies(e -> {
            assertThat(e.digest).isEqualTo(V1 + "@sha256:aa");
            assertThat(e.healthyAt).isEqualTo(T0.toString());
            assertThat(EvidenceSignatures.valid(KEY, app, e)).isTrue();
        });
        int reads = podReads.get();
        var atRest = update(app, first, status(Phase.Healthy, V1, first.evidence), true, List.of(), T0.plusSeconds(600));
        assertThat(podReads.get()).as("no pod read at rest").isEqualTo(reads);
        assertThat(atRest.evidence).isEqualTo(first.evidence);
    }

    @Test
    void theNextImageRetiresTheOldEntryWhichStaysAsEvidence() {
        Application app = app();
        var v1 = update(app, null, status(Phase.Healthy, V1, null), true, List.of(pod(V1, V1 + "@sha256:aa", true)), T0);
        var v2 = update(app, status(Phase.Progressing, V1, v1.evidence), status(Phase.Healthy, V2, v1.evidence), true,
                List.of(pod(V2, V2 + "@sha256:bb", true)), T0.plusSeconds(3600));
        assertThat(v2.evidence).extracting(e -> e.digest).containsExactly(V2 + "@sha256:bb", V1 + "@sha256:aa");
        assertThat(v2.evidence.get(1).retiredAt).isEqualTo(T0.plusSeconds(3600).toString());
        assertThat(v2.evidence).allSatisfy(e -> assertThat(EvidenceSignatures.valid(KEY, app, e)).isTrue());
    }

    @Test
    void theServingImageFailingHereMarksItsEntryFailed() {
        Application app = app();
        var v1 = update(app, null, status(Phase.Healthy, V1, null), true, List.of(pod(V1, V1 + "@sha256:aa", true)), T0);
        var degraded = update(app, v1, status(Phase.Degraded, V1, v1.evidence), false, List.of(), T0.plusSeconds(60));
        assertThat(degraded.evidence).singleElement().satisfies(e -> {
            assertThat(e.failed).isTrue();
            assertThat(e.retiredAt).isEqualTo(T0.plusSeconds(60).toString());
            assertThat(EvidenceSignatures.valid(KEY, app, e)).isTrue();
        });
    }

    @Test
    void anEntryThatDoesNotVerifyIsDroppedAndTheListIsBounded() {
        Application app = app();
        List<Evidence> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Evidence e = new Evidence();
            e.image = "example.com/shop:old-" + i;
            e.digest = e.image + "@sha256:" + i;
            e.healthyAt = T0.toString();
            e.retiredAt = T0.toString();
            e.signature = EvidenceSignatures.sign(KEY, app, e);
            many.add(e);
        }
        many.get(0).healthyAt = "2020-01-01T00:00:00Z"; // edited by hand
        var after = update(app, status(Phase.Progressing, V1, many), status(Phase.Healthy, V1, many), true,
                List.of(pod(V1, V1 + "@sha256:aa", true)), T0);
        assertThat(after.evidence).hasSize(PromotionEvidence.LIMIT);
        assertThat(after.evidence.get(0).digest).isEqualTo(V1 + "@sha256:aa");
        assertThat(after.evidence).noneMatch(e -> "2020-01-01T00:00:00Z".equals(e.healthyAt));
    }
}
