package dev.runway.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.migration.MigrationGate.State;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.utils.Serialization;

/** When the gate holds an Application's new image, and which old MigrationJobs go. */
@Tag(Tiers.UNIT)
class MigrationGateTest {
    static Application app(String image, String stable) {
        Application app = Serialization.unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop, namespace: shop, uid: u-1, generation: 2}
                spec:
                  image: %s
                  migration: {command: [migrate], databaseSecretRef: shop-db, historyLimit: 2}
                """.formatted(image), Application.class);
        app.setStatus(new ApplicationStatus());
        app.getStatus().stableImage = stable;
        return app;
    }

    static MigrationJob mj(String image, Phase phase, String created, String message) {
        MigrationJob mj = MigrationGate.desired(app(image, null), MigrationNames.forImage("shop", image));
        mj.getMetadata().setCreationTimestamp(created);
        mj.setStatus(new MigrationJobStatus());
        mj.getStatus().phase = phase;
        mj.getStatus().message = message;
        return mj;
    }

    @Test
    void aNewImageIsHeldUntilItsMigrationSucceeded() {
        Application app = app("shop:2", "shop:1");
        MigrationGate.Decision absent = MigrationGate.check(app, "shop:2", Optional.empty());
        assertThat(absent.hold()).isTrue();
        assertThat(absent.create().getSpec().image).isEqualTo("shop:2");
        assertThat(absent.create().getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getController()).isTrue());

        MigrationGate.Decision running = MigrationGate.check(app, "shop:2", Optional.of(mj("shop:2", Phase.Running, "t", null)));
        assertThat(running.state()).isEqualTo(State.MIGRATING);
        assertThat(running.create()).isNull();
        assertThat(running.message()).contains("shop:1 keeps serving");

        MigrationGate.Decision failed = MigrationGate.check(app, "shop:2", Optional.of(mj("shop:2", Phase.Failed, "t", "ERROR: boom")));
        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.hold()).isTrue();
        assertThat(failed.message()).contains("ERROR: boom").contains("shop:1 keeps serving");

        assertThat(MigrationGate.check(app, "shop:2", Optional.of(mj("shop:2", Phase.Succeeded, "t", null))).hold()).isFalse();
    }

    @Test
    void onlyAMigrationJobTheApplicationControlsOpensTheGate() {
        Application app = app("shop:2", "shop:1");
        MigrationJob handMade = mj("shop:2", Phase.Succeeded, "t", null);
        handMade.getMetadata().setOwnerReferences(null);
        MigrationGate.Decision refused = MigrationGate.check(app, "shop:2", Optional.of(handMade));
        assertThat(refused.state()).isEqualTo(State.NOT_OWNED);
        assertThat(refused.hold()).isTrue();
        assertThat(refused.create()).isNull();
        assertThat(refused.message()).contains("MigrationJob " + handMade.getMetadata().getName(), "not owned by Application shop",
                "shop:1 keeps serving");
        MigrationJob otherOwner = mj("shop:2", Phase.Succeeded, "t", null);
        otherOwner.getMetadata().getOwnerReferences().get(0).setUid("another-shop");
        assertThat(MigrationGate.check(app, "shop:2", Optional.of(otherOwner)).state()).isEqualTo(State.NOT_OWNED);
    }

    @Test
    void theGateIgnoresServingHeldOrMigrationlessImages() {
        assertThat(MigrationGate.check(app("shop:1", "shop:1"), "shop:1", Optional.empty()).state()).isEqualTo(State.NOT_APPLICABLE);
        assertThat(MigrationGate.check(app("shop:2", "shop:1"), "shop:1", Optional.empty()).state())
                .as("another gate holds spec.image: no migration yet").isEqualTo(State.NOT_APPLICABLE);
        Application noMigration = app("shop:2", "shop:1");
        noMigration.getSpec().migration = null;
        assertThat(MigrationGate.check(noMigration, "shop:2", Optional.empty()).state()).isEqualTo(State.NOT_APPLICABLE);
    }

    @Test
    void historyKeepsTheNewestAndNeverTheCurrentOrUnfinished() {
        Application app = app("shop:5", "shop:4");
        List<MigrationJob> owned = new ArrayList<>(List.of(
                mj("shop:1", Phase.Succeeded, "2026-01-01T00:00:00Z", null),
                mj("shop:2", Phase.Failed, "2026-01-02T00:00:00Z", "x"),
                mj("shop:3", Phase.Running, "2026-01-03T00:00:00Z", null),
                mj("shop:4", Phase.Succeeded, "2026-01-04T00:00:00Z", null),
                mj("shop:5", Phase.Running, "2026-01-05T00:00:00Z", null)));
        assertThat(MigrationGate.expired(app, owned)).extracting(m -> m.getSpec().image).containsExactlyInAnyOrder("shop:1", "shop:2");
    }
}
