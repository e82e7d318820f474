package dev.runway.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Isolation.PodSecurity;
import dev.runway.operator.api.v1alpha1.EnvironmentStatus;
import dev.runway.operator.environment.EnvironmentStatusFactory.AppCounts;
import dev.runway.operator.testing.Kstatus;
import dev.runway.operator.testing.Kstatus.Result;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Environment statuses from the real EnvironmentStatusFactory read as Flux/kstatus should read them. */
@Tag(Tiers.UNIT)
class KstatusTest {
    final EnvironmentStatusFactory factory = new EnvironmentStatusFactory(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    static Environment environment(long generation) {
        Environment env = new KubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: staging}
                spec: {}
                """, Environment.class);
        env.getMetadata().setGeneration(generation);
        return env;
    }

    @Test
    void convergedEnvironmentIsCurrentWhateverItsApplications() {
        Environment env = environment(2);
        EnvironmentStatus status = factory.ready(env, new EnvironmentPlan("staging", true, PodSecurity.values()[0]), new AppCounts(3, 1));
        assertThat(Kstatus.of(2L, status)).isEqualTo(Result.Current);
        assertThat(Kstatus.of(3L, status)).isEqualTo(Result.InProgress);
    }

    @Test
    void namespaceClaimedElsewhereHasFailed() {
        Environment env = environment(1);
        assertThat(Kstatus.of(1L, factory.refused(env, EnvironmentStatusFactory.NAMESPACE_CLAIMED, "claimed by Environment prod")))
                .isEqualTo(Result.Failed);
    }

    @Test
    void waitingAndRetryingAreInProgress() {
        Environment env = environment(1);
        assertThat(Kstatus.of(1L, factory.waiting(env, EnvironmentStatusFactory.NAMESPACE_TERMINATING, "namespace is being deleted")))
                .isEqualTo(Result.InProgress);
        assertThat(Kstatus.of(1L, factory.error(env, "forbidden"))).isEqualTo(Result.InProgress);
    }
}
