package dev.runway.operator.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.testing.Kstatus;
import dev.runway.operator.testing.Kstatus.Result;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Application statuses from the real ApplicationStatusFactory read as Flux/kstatus should read them. */
@Tag(Tiers.UNIT)
class KstatusTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final ApplicationStatusFactory factory = new ApplicationStatusFactory(Clock.fixed(NOW, ZoneOffset.UTC));

    static Application app(String spec) {
        Application app = new KubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop, namespace: team-a, generation: 4}
                spec: %s
                """.formatted(spec), Application.class);
        return app;
    }

    static ApplicationPlan plan(Application app) {
        return ApplicationPlanner.plan(app, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), NOW, ApplicationDesiredStateTest.GOLDEN_HASH_KEY);
    }

    static WorkloadState rollingOut() {
        return new WorkloadState(true, 3, 1, 2, 1, false, null, null, false, false, null);
    }

    static WorkloadState rolledOut() {
        return new WorkloadState(true, 3, 3, 3, 3, true, null, null, false, false, null);
    }

    static WorkloadState failed() {
        return new WorkloadState(true, 3, 0, 1, 0, false, "ProgressDeadlineExceeded", "pods crash", false, false, null);
    }

    @Test
    void rollingUpdateIsInProgressThenCurrent() {
        Application app = app("{image: \"example.com/shop:2\", port: 8080}");
        assertThat(Kstatus.of(4L, factory.fromWorkload(app, plan(app), rollingOut(), false))).isEqualTo(Result.InProgress);
        var done = factory.fromWorkload(app, plan(app), rolledOut(), false);
        assertThat(Kstatus.of(4L, done)).isEqualTo(Result.Current);
        assertThat(Kstatus.of(5L, done)).as("a newer spec not yet acted on").isEqualTo(Result.InProgress);
    }

    @Test
    void failedRolloutAndMissingSecretHaveFailed() {
        Application app = app("{image: \"example.com/shop:2\", port: 8080}");
        assertThat(Kstatus.of(4L, factory.fromWorkload(app, plan(app), failed(), false))).isEqualTo(Result.Failed);
        assertThat(Kstatus.of(4L, factory.fromWorkload(app, plan(app), failed(), true))).as("blue-green").isEqualTo(Result.Failed);
        Application needsSecret = app("{image: \"example.com/shop:2\", port: 8080, secretRefs: [shop-db]}");
        ApplicationPlan plan = plan(needsSecret);
        assertThat(plan.missingSecrets()).containsExactly("shop-db");
        assertThat(Kstatus.of(4L, factory.missingSecrets(needsSecret, plan))).isEqualTo(Result.Failed);
    }

    @Test
    void retriedErrorsAndPreviewsAwaitingPromotionAreInProgress() {
        Application app = app("{image: \"example.com/shop:2\", port: 8080}");
        assertThat(Kstatus.of(4L, factory.error(app, "forbidden"))).isEqualTo(Result.InProgress);
        WorkloadState awaiting = new WorkloadState(true, 3, 3, 3, 3, false, null, null, true, false, null);
        assertThat(Kstatus.of(4L, factory.fromWorkload(app, plan(app), awaiting, true))).isEqualTo(Result.InProgress);
    }
}
