package dev.runway.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;

/** Where the Lease goes: configured, else the client's namespace, else default (a jar outside a pod). */
@Tag(Tiers.UNIT)
class LeaderElectionTest {

    @Test
    void theConfiguredNamespaceWinsThenTheClientsThenDefault() {
        assertThat(LeaderElection.leaseNamespace(Optional.of("runway-system"), "other")).isEqualTo("runway-system");
        assertThat(LeaderElection.leaseNamespace(Optional.empty(), "from-pod")).isEqualTo("from-pod");
        assertThat(LeaderElection.leaseNamespace(Optional.of(" "), "from-pod")).isEqualTo("from-pod");
        assertThat(LeaderElection.leaseNamespace(Optional.empty(), null)).isEqualTo("default");
    }
}
