package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Evidence;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Revision;
import dev.runway.operator.common.EvidenceSignatures;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec;
import dev.runway.operator.api.v1alpha1.EnvironmentStatus;
import dev.runway.operator.environment.PromotionGate;
import dev.runway.operator.environment.PromotionGate.Hold;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** The promotion gate decides from the source Application's signed evidence alone. */
@Tag(Tiers.UNIT)
class PromotionGateTest {
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final String IMAGE = "registry.example.com/shop:1.4.2";
    static final String OLD = "registry.example.com/shop:1.4.1";

    final Environment staging = env("staging", "shop-staging", null, null);
    final Environment production = env("production", "shop-prod", "staging", 30);

    @Test
    void noPromotionSettingMeansNoGate() {
        assertThat(check(app(IMAGE), env("dev", "dev", null, null), Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void healthyLongerThanTheSoakPasses() {
        Application source = source(evidence(IMAGE, D1, NOW.minus(Duration.ofMinutes(31)), null));
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(source))).isEmpty();
    }

    @Test
    void theSoakBoundaryIsInclusive() {
        Application source = source(evidence(IMAGE, D1, NOW.minus(Duration.ofMinutes(30)), null));
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(source))).isEmpty();
    }

    @Test
    void healthyForLessThanTheSoakHoldsWithTimeLeft() {
        Application source = source(evidence(IMAGE, D1, NOW.minus(Duration.ofMinutes(12)), null));
        Hold hold = check(app(IMAGE), production, Optional.of(staging), Optional.of(source)).orElseThrow();
        assertThat(hold.message()).isEqualTo("image " + IMAGE + " has run healthy in staging for 12m; needs 30m (18m left)");
        assertThat(hold.recheckAfter()).isEqualTo(Duration.ofMinutes(18).plusSeconds(1));
    }

    @Test
    void partialMinutesRoundElapsedDownAndTimeLeftUp() {
        Application source = source(evidence(IMAGE, D1, NOW.minus(Duration.ofSeconds(12 * 60 + 30)), null));
        Hold hold = check(app(IMAGE), production, Optional.of(staging), Optional.of(source)).orElseThrow();
        assertThat(hold.message()).endsWith("for 12m; needs 30m (18m left)");
        assertThat(hold.recheckAfter()).isEqualTo(Duration.ofSeconds(17 * 60 + 30 + 1));
    }

    @Test
    void anImageThatSoakedStaysPromotableAfterTheSourceMovedOn() {
        Application source = source(
                evidence(OLD, "sha256:old", NOW.minus(Duration.ofHours(1)), null),
                evidence(IMAGE, D1, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1))));
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(source))).isEmpty();
    }

    @Test
    void anImageReplacedBeforeItSoakedIsNoEvidence() {
        Application source = source(evidence(IMAGE, D1, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(3)).plusSeconds(600)));
        Hold hold = check(app(IMAGE), production, Optional.of(staging), Optional.of(source)).orElseThrow();
        assertThat(hold.message()).isEqualTo("image " + IMAGE + " (digest " + D1 + ") ran healthy in staging for only 10m before it was"
                + " replaced; needs 30m. Run it there again");
        assertThat(hold.recheckAfter()).isEqualTo(PromotionGate.NO_EVIDENCE_RECHECK);
    }

    @Test
    void aTagPushedAgainHasNoEvidenceAndIsRefusedSayingSo() {
        Application source = source(
                evidence(IMAGE, D2, NOW.minus(Duration.ofMinutes(5)), null),
                evidence(IMAGE, D1, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(5))));
        Hold hold = check(app(IMAGE), production, Optional.of(staging), Optional.of(source)).orElseThrow();
        assertThat(hold.message()).startsWith("tag " + IMAGE + " was pushed again: staging soaked digest " + D1 + ", but since "
                + NOW.minus(Duration.ofMinutes(5)) + " runs digest " + D2).contains("does not carry over")
                .endsWith("has run healthy in staging for 5m; needs 30m (25m left)");
    }

    @Test
    void anImageThatFailedInTheSourceAfterItSoakedIsRefused() {
        Evidence failed = evidence(IMAGE, D1, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1)));
        failed.failed = true;
        Application source = source(failed);
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(source)).orElseThrow().message())
                .contains("failed in staging").contains("it is no evidence");
    }

    @Test
    void evidenceEditedByHandOrCopiedFromAnotherApplicationDoesNotCount() {
        Application signed = source(evidence(IMAGE, D1, NOW.minus(Duration.ofMinutes(12)), null));
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(signed))).isPresent();
        signed.getStatus().evidence.get(0).healthyAt = NOW.minus(Duration.ofHours(5)).toString(); // a longer soak, by hand
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(signed)).orElseThrow().message())
                .startsWith("the evidence for image " + IMAGE + " in staging does not verify");
        // Nor does forging the newest entry fall back on an older digest that soaked.
        Application repushed = source(evidence(IMAGE, D2, NOW.minus(Duration.ofMinutes(5)), null),
                evidence(IMAGE, D1, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofMinutes(5))));
        repushed.getStatus().evidence.get(0).healthyAt = NOW.minus(Duration.ofHours(4)).toString();
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(repushed))).isPresent();
        Application forged = source(evidence(IMAGE, D1, NOW.minus(Duration.ofHours(5)), null));
        forged.getStatus().evidence.get(0).signature = "0".repeat(32);
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(forged))).isPresent();
        Application other = source(evidence(IMAGE, D1, NOW.minus(Duration.ofHours(5)), null));
        Application copy = source();
        copy.getMetadata().setUid("another-uid");
        copy.getStatus().evidence = other.getStatus().evidence;
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(copy))).isPresent();
    }

    @Test
    void imageStillRollingOutInTheSourceHolds() {
        Application source = source();
        source.getStatus().history = List.of(revision(IMAGE, "Progressing", null));
        Hold hold = check(app(IMAGE), production, Optional.of(staging), Optional.of(source)).orElseThrow();
        assertThat(hold.message()).contains("is not healthy in staging yet (Progressing)").contains("30m");
    }

    @Test
    void imageNeverSeenInTheSourceHolds() {
        Application source = source(evidence(OLD, "sha256:old", NOW.minus(Duration.ofHours(1)), null));
        source.getStatus().history = List.of(revision(OLD, "Healthy", NOW.minus(Duration.ofHours(1))));
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.of(source)).orElseThrow().message())
                .startsWith("image " + IMAGE + " has not run in staging (it runs " + OLD + ")");
    }

    @Test
    void missingSourceApplicationOrEnvironmentHolds() {
        assertThat(check(app(IMAGE), production, Optional.of(staging), Optional.empty()).orElseThrow().message())
                .contains("there is no Application shop in namespace shop-staging");
        assertThat(check(app(IMAGE), production, Optional.empty(), Optional.empty()).orElseThrow().message())
                .startsWith("Environment staging (spec.promotion.from of Environment production) does not exist");
    }

    @Test
    void aSourceEnvironmentThatWasRefusedItsNamespaceIsNoEvidence() {
        Environment refused = env("staging", "shop-staging", null, null);
        refused.getStatus().namespace = null;
        Application source = source(evidence(IMAGE, D1, NOW.minus(Duration.ofHours(1)), null));
        assertThat(check(app(IMAGE), production, Optional.of(refused), Optional.of(source)).orElseThrow().message())
                .startsWith("Environment staging does not manage namespace shop-staging");
    }

    @Test
    void anImageAlreadyServingOrRollingOutHereIsNeverPulledBack() {
        Application serving = app(IMAGE);
        serving.getStatus().stableImage = IMAGE;
        assertThat(check(serving, production, Optional.of(staging), Optional.empty())).isEmpty();

        Application rolling = app(IMAGE);
        rolling.getStatus().stableImage = OLD;
        rolling.getStatus().history = List.of(revision(IMAGE, "Progressing", null), revision(OLD, "Healthy", NOW.minusSeconds(3600)));
        assertThat(check(rolling, production, Optional.of(staging), Optional.empty())).isEmpty();
    }

    @Test
    void withoutASoakTimeHealthyIsEnough() {
        Environment noSoak = env("uat", "uat", "staging", null);
        Application source = source(evidence(IMAGE, D1, NOW, null));
        assertThat(check(app(IMAGE), noSoak, Optional.of(staging), Optional.of(source))).isEmpty();
    }

    static final byte[] KEY = "a key only the operator holds".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final String D1 = "registry.example.com/shop@sha256:1111";
    static final String D2 = "registry.example.com/shop@sha256:2222";

    static Optional<Hold> check(Application target, Environment env, Optional<Environment> sourceEnv, Optional<Application> source) {
        return PromotionGate.check(target, env, sourceEnv, source, NOW, KEY);
    }

    /** The staging Application with the given evidence, signed as the operator signs it. */
    static Application source(Evidence... evidence) {
        Application app = app(IMAGE);
        app.getMetadata().setNamespace("shop-staging");
        app.getMetadata().setUid("staging-uid");
        for (Evidence e : evidence) {
            e.signature = EvidenceSignatures.sign(KEY, app, e);
        }
        app.getStatus().evidence = List.of(evidence);
        return app;
    }

    static Evidence evidence(String image, String digest, Instant healthyAt, Instant retiredAt) {
        Evidence e = new Evidence();
        e.image = image;
        e.digest = digest;
        e.healthyAt = healthyAt.toString();
        e.retiredAt = retiredAt == null ? null : retiredAt.toString();
        return e;
    }

    static Environment env(String name, String namespace, String from, Integer soak) {
        Environment env = new Environment();
        env.setMetadata(new ObjectMetaBuilder().withName(name).build());
        EnvironmentSpec spec = new EnvironmentSpec();
        spec.tier = EnvironmentSpec.Tier.Staging;
        spec.namespace = namespace;
        if (from != null) {
            spec.promotion = new EnvironmentSpec.Promotion();
            spec.promotion.from = from;
            spec.promotion.minSoakMinutes = soak;
        }
        env.setSpec(spec);
        env.setStatus(new EnvironmentStatus());
        env.getStatus().namespace = namespace;
        return env;
    }

    static Application app(String image) {
        Application app = new Application();
        app.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace("shop-prod").build());
        app.setSpec(new ApplicationSpec());
        app.getSpec().image = image;
        app.setStatus(new ApplicationStatus());
        return app;
    }

    static Application appWithHistory(String image, Revision... history) {
        Application app = app(image);
        app.getMetadata().setNamespace("shop-staging");
        app.getStatus().history = List.of(history);
        return app;
    }

    static Revision revision(String image, String outcome, Instant healthyAt) {
        Revision r = new Revision();
        r.image = image;
        r.outcome = outcome;
        r.healthyAt = healthyAt == null ? null : healthyAt.toString();
        return r;
    }
}
