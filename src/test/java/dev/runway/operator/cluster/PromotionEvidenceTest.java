package dev.runway.operator.cluster;

import static dev.runway.operator.cluster.EnvironmentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Evidence;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec;
import dev.runway.operator.testing.TestClock;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Promotion evidence is the digest the pods ran (their imageID; on kwok nodes the stage derives it
 * from the image and the restart annotation, so a restart "pulls the tag again" with a new digest),
 * signed by the operator on the source Application's status: a tag that runs another digest than
 * the one that soaked is refused saying so, and an entry edited by hand is no evidence.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class PromotionEvidenceTest extends EnvironmentClusterTest {
    private static final String IMAGE = "example.com/shop:1.0.0";

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void evidenceIsTheDigestThePodsRanAndATagPushedAgainStartsWithout() {
        String staging = unique("ev-staging");
        String prod = unique("ev-prod");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Staging}
                """.formatted(staging)));
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development, promotion: {from: %s, minSoakMinutes: 1}}
                """.formatted(prod, staging)));

        createApplication(staging, "shop", IMAGE);
        Application first = awaitApplicationReady(staging, "shop", a -> a.getStatus().evidence != null);
        Evidence d1 = first.getStatus().evidence.get(0);
        Pod pod = client.pods().inNamespace(staging).withLabel("app.kubernetes.io/name", "shop").list().getItems().get(0);
        assertThat(d1.image).isEqualTo(IMAGE);
        assertThat(d1.digest).as("the imageID the pod reported").isEqualTo(pod.getStatus().getContainerStatuses().get(0).getImageID())
                .startsWith(IMAGE + "@sha256:");
        assertThat(d1.retiredAt).isNull();
        assertThat(d1.signature).hasSize(32);

        // Two minutes later (the operator's clock) the same tag is pulled again and runs another digest.
        clock.setOffset(Duration.ofMinutes(2));
        editApplication(staging, "shop", a -> {
            a.getMetadata().setAnnotations(new HashMap<>(java.util.Map.of("runway.dev/restart", "")));
            return a;
        });
        Application repulled = client.resources(Application.class).inNamespace(staging).withName("shop").waitUntilCondition(a ->
                a.getStatus() != null && a.getStatus().evidence != null && a.getStatus().evidence.size() == 2, 90, TimeUnit.SECONDS);
        Evidence d2 = repulled.getStatus().evidence.get(0);
        assertThat(d2.digest).isNotEqualTo(d1.digest).startsWith(IMAGE + "@sha256:");
        assertThat(repulled.getStatus().evidence.get(1)).satisfies(e -> {
            assertThat(e.digest).isEqualTo(d1.digest);
            assertThat(e.retiredAt).as("the old digest stopped serving").isNotNull();
        });

        // Production asks for the tag: what it would pull has not soaked, whatever the old digest did.
        createApplication(prod, "shop", IMAGE);
        Application held = client.resources(Application.class).inNamespace(prod).withName("shop").waitUntilCondition(a ->
                condition(a, "PromotionBlocked").map(c -> "True".equals(c.getStatus())).orElse(false), 60, TimeUnit.SECONDS);
        assertThat(condition(held, "PromotionBlocked").orElseThrow().getMessage())
                .startsWith("tag " + IMAGE + " was pushed again: " + staging + " soaked digest " + d1.digest)
                .contains("runs digest " + d2.digest).contains("does not carry over").contains("needs 1m");
        assertThat(client.apps().deployments().inNamespace(prod).withName("shop").get()).isNull();

        // A hand-made longer soak for the new digest: refused as unverifiable, and Runway records it again.
        client.resources(Application.class).inNamespace(staging).withName("shop").editStatus(a -> {
            a.getStatus().evidence.get(0).healthyAt = "2020-01-01T00:00:00Z";
            return a;
        });
        Application rewritten = client.resources(Application.class).inNamespace(staging).withName("shop").waitUntilCondition(a ->
                a.getStatus().evidence != null && !"2020-01-01T00:00:00Z".equals(a.getStatus().evidence.get(0).healthyAt), 60, TimeUnit.SECONDS);
        assertThat(rewritten.getStatus().evidence.get(0).digest).isEqualTo(d2.digest);
        assertThat(java.time.Instant.parse(rewritten.getStatus().evidence.get(0).healthyAt))
                .as("the forged time is gone; the digest's soak starts over").isAfter(java.time.Instant.parse(d2.healthyAt).minusSeconds(1));
        annotateRecheck(prod);
        assertThat(client.apps().deployments().inNamespace(prod).withName("shop").get()).isNull();

        // Once the new digest soaked, production takes it.
        clock.setOffset(Duration.ofMinutes(5));
        annotateRecheck(prod);
        awaitApplicationReady(prod, "shop", a -> IMAGE.equals(a.getStatus().stableImage));
    }

    private static void annotateRecheck(String ns) {
        editApplication(ns, "shop", a -> {
            a.getMetadata().setAnnotations(new HashMap<>(java.util.Map.of("runway.dev/test-recheck", String.valueOf(System.nanoTime()))));
            return a;
        });
    }
}
