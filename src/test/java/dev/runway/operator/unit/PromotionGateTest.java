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
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Revision;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec;
import dev.runway.operator.api.v1alpha1.EnvironmentStatus;
import dev.runway.operator.environment.PromotionGate;
import dev.runway.operator.environment.PromotionGate.Hold;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** The promotion gate decides from the source Application's history alone. */
@Tag(Tiers.UNIT)
class PromotionGateTest {
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final String IMAGE = "registry.example.com/shop:1.4.2";
    static final String OLD = "registry.example.com/shop:1.4.1";

    final Environment staging = env("staging", "shop-staging", null, null);
    final Environment production = env("production", "shop-prod", "staging", 30);

    @Test
    void noPromotionSettingMeansNoGate() {
        assertThat(PromotionGate.check(app(IMAGE), env("dev", "dev", null, null), Optional.empty(), Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void healthyLongerThanTheSoakPasses() {
        Application source = appWithHistory(IMAGE, revision(IMAGE, "Healthy", NOW.minus(Duration.ofMinutes(31))));
        assertThat(PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.of(source), NOW)).isEmpty();
    }

    @Test
    void promotedCountsAsHealthyAndTheSoakBoundaryIsInclusive() {
        Application source = appWithHistory(IMAGE, revision(IMAGE, "Promoted", NOW.minus(Duration.ofMinutes(30))));
        assertThat(PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.of(source), NOW)).isEmpty();
    }

    @Test
    void healthyForLessThanTheSoakHoldsWithTimeLeft() {
        Application source = appWithHistory(IMAGE, revision(IMAGE, "Healthy", NOW.minus(Duration.ofMinutes(12))));
        Hold hold = PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.of(source), NOW).orElseThrow();
        assertThat(hold.message()).isEqualTo("image " + IMAGE + " has run healthy in staging for 12m; needs 30m (18m left)");
        assertThat(hold.recheckAfter()).isEqualTo(Duration.ofMinutes(18).plusSeconds(1));
    }

    @Test
    void partialMinutesRoundElapsedDownAndTimeLeftUp() {
        Application source = appWithHistory(IMAGE, revision(IMAGE, "Healthy", NOW.minus(Duration.ofSeconds(12 * 60 + 30))));
        Hold hold = PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.of(source), NOW).orElseThrow();
        assertThat(hold.message()).endsWith("for 12m; needs 30m (18m left)");
        assertThat(hold.recheckAfter()).isEqualTo(Duration.ofSeconds(17 * 60 + 30 + 1));
    }

    @Test
    void imageReplacedInTheSourceIsNoLongerEvidence() {
        Application source = appWithHistory(IMAGE,
                revision(OLD, "Progressing", null),
                revision(IMAGE, "Healthy", NOW.minus(Duration.ofHours(2))));
        Hold hold = PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.of(source), NOW).orElseThrow();
        assertThat(hold.message()).contains("image " + IMAGE + " no longer runs in staging (it was replaced by " + OLD + ")");
        assertThat(hold.recheckAfter()).isEqualTo(PromotionGate.NO_EVIDENCE_RECHECK);
    }

    @Test
    void imageStillRollingOutInTheSourceHolds() {
        Application source = appWithHistory(IMAGE, revision(IMAGE, "Progressing", null));
        Hold hold = PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.of(source), NOW).orElseThrow();
        assertThat(hold.message()).contains("is not healthy in staging yet (Progressing)").contains("30m");
    }

    @Test
    void imageThatFailedInTheSourceHolds() {
        Application source = appWithHistory(IMAGE, revision(IMAGE, "RolledBack", null));
        assertThat(PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.of(source), NOW).orElseThrow().message())
                .contains("is not healthy in staging yet (RolledBack)");
    }

    @Test
    void imageNeverSeenInTheSourceHolds() {
        Application source = appWithHistory(OLD, revision(OLD, "Healthy", NOW.minus(Duration.ofHours(1))));
        assertThat(PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.of(source), NOW).orElseThrow().message())
                .startsWith("image " + IMAGE + " has not run in staging (it runs " + OLD + ")");
    }

    @Test
    void missingSourceApplicationOrEnvironmentHolds() {
        assertThat(PromotionGate.check(app(IMAGE), production, Optional.of(staging), Optional.empty(), NOW).orElseThrow().message())
                .contains("there is no Application shop in namespace shop-staging");
        assertThat(PromotionGate.check(app(IMAGE), production, Optional.empty(), Optional.empty(), NOW).orElseThrow().message())
                .startsWith("Environment staging (spec.promotion.from of Environment production) does not exist");
    }

    @Test
    void aSourceEnvironmentThatWasRefusedItsNamespaceIsNoEvidence() {
        Environment refused = env("staging", "shop-staging", null, null);
        refused.getStatus().namespace = null;
        Application source = appWithHistory(IMAGE, revision(IMAGE, "Healthy", NOW.minus(Duration.ofHours(1))));
        assertThat(PromotionGate.check(app(IMAGE), production, Optional.of(refused), Optional.of(source), NOW).orElseThrow().message())
                .startsWith("Environment staging does not manage namespace shop-staging");
    }

    @Test
    void anImageAlreadyServingOrRollingOutHereIsNeverPulledBack() {
        Application serving = app(IMAGE);
        serving.getStatus().stableImage = IMAGE;
        assertThat(PromotionGate.check(serving, production, Optional.of(staging), Optional.empty(), NOW)).isEmpty();

        Application rolling = app(IMAGE);
        rolling.getStatus().stableImage = OLD;
        rolling.getStatus().history = List.of(revision(IMAGE, "Progressing", null), revision(OLD, "Healthy", NOW.minusSeconds(3600)));
        assertThat(PromotionGate.check(rolling, production, Optional.of(staging), Optional.empty(), NOW)).isEmpty();
    }

    @Test
    void withoutASoakTimeHealthyIsEnough() {
        Environment noSoak = env("uat", "uat", "staging", null);
        Application source = appWithHistory(IMAGE, revision(IMAGE, "Healthy", NOW));
        assertThat(PromotionGate.check(app(IMAGE), noSoak, Optional.of(staging), Optional.of(source), NOW)).isEmpty();
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
