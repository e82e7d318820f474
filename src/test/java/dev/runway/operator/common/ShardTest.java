package dev.runway.operator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;

/** What a shard selects and which Lease it elects on; the flows are in process/ShardingIT. */
@Tag(Tiers.UNIT)
class ShardTest {

    @Test
    void theDefaultShardTakesTheUnlabelledObjectsAndKeepsTheLease() {
        Shard shard = new Shard(Optional.empty());
        assertThat(shard.isDefault()).isTrue();
        assertThat(shard.selector()).isEqualTo("!runway.dev/shard");
        assertThat(shard.leaseName("runway-operator-lock")).isEqualTo("runway-operator-lock");
        // RUNWAY_SHARD set but empty, as a chart value left blank would give.
        assertThat(new Shard(Optional.of(" ")).isDefault()).isTrue();
    }

    @Test
    void aNamedShardTakesItsLabelAndElectsOnItsOwnLease() {
        Shard shard = new Shard(Optional.of("a"));
        assertThat(shard.isDefault()).isFalse();
        assertThat(shard.selector()).isEqualTo("runway.dev/shard=a");
        assertThat(shard.leaseName("runway-operator-lock")).isEqualTo("runway-operator-lock-a");
    }

    @Test
    void aShardNameMustBeAShortDnsLabel() {
        assertThat(new Shard(Optional.of("team-42")).name()).contains("team-42");
        for (String bad : new String[] { "A", "-a", "a-", "a_b", "a.b", "x".repeat(41) }) {
            assertThatThrownBy(() -> new Shard(Optional.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("runway.shard");
        }
    }
}
