package dev.runway.operator.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Annotations;
import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.ConditionTypes;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.application.RollbackDecision.Accepted;
import dev.runway.operator.application.RollbackDecision.Method;
import dev.runway.operator.application.RollbackDecision.Refused;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** What runway.dev/rollback does in each case ({@link RollbackDecision}), and the hold the lever leaves for the planner. */
@Tag(Tiers.UNIT)
class RollbackDecisionTest {
    static final String V1 = HoldsTest.V1;
    static final String V2 = HoldsTest.V2;

    /** V2 serves healthy after V1 did; spec.migration set; the annotation's value as given (null: not set). */
    static Application serving(String value) {
        Application app = KstatusTest.app("{image: \"" + V2 + "\", port: 8080, migration: {command: [migrate], databaseSecretRef: shop-db}}");
        if (value != null) {
            app.getMetadata().setAnnotations(new HashMap<>(java.util.Map.of(Annotations.ROLLBACK, value)));
        }
        app.setStatus(new ApplicationStatus());
        app.getStatus().stableImage = V2;
        app.getStatus().history = new ArrayList<>(List.of(revision(2, V2), revision(1, V1)));
        return app;
    }

    static ApplicationStatus.Revision revision(long n, String image) {
        var r = new ApplicationStatus.Revision();
        r.revision = n;
        r.image = image;
        r.configHash = "c";
        r.outcome = "Healthy";
        r.healthyAt = "2026-01-01T00:00:00Z";
        return r;
    }

    /** The MigrationJob of V2 in {@code phase}, with a pre-migration backup unless {@code backup} is null. */
    static MigrationJob migration(Phase phase, String rollback, String backup) {
        MigrationJob mj = new KubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: MigrationJob
                metadata: {name: shop-1a2b3c4d, namespace: team-a}
                spec: {image: "%s", command: [migrate], databaseSecretRef: shop-db%s%s}
                """.formatted(V2, rollback == null ? "" : ", rollback: " + rollback, backup == null ? "" : ", backup: {policy: nightly}"),
                MigrationJob.class);
        mj.setStatus(new MigrationJobStatus());
        mj.getStatus().phase = phase;
        if (backup != null) {
            mj.getStatus().backup = new MigrationJobStatus.BackupRef();
            mj.getStatus().backup.name = backup;
        }
        return mj;
    }

    static RollbackDecision.Outcome decide(Application app, MigrationJob mj) {
        return RollbackDecision.decide(app, "c", Optional.ofNullable(mj));
    }

    @Test
    void imageAndDataAfterASucceededMigrationWithACommandRunsTheCommand() {
        var outcome = decide(serving("image-and-data"), migration(Phase.Succeeded, "{command: [migrate, down]}", "b.pgdump"));
        assertThat(outcome).isInstanceOfSatisfying(Accepted.class, a -> {
            assertThat(a.toImage()).isEqualTo(V1);
            assertThat(a.method()).isEqualTo(Method.Command);
        });
    }

    @Test
    void withoutACommandOrWhenTheMigrationJobSaysSoThePreMigrationBackupIsRestored() {
        assertThat(decide(serving("image-and-data"), migration(Phase.Succeeded, null, "b.pgdump")))
                .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.method()).isEqualTo(Method.Restore));
        assertThat(decide(serving("image-and-data"), migration(Phase.Succeeded, "{command: [migrate, down], restoreBackup: true}", "b.pgdump")))
                .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.method()).isEqualTo(Method.Restore));
        // A failed migration without a command (the MigrationJob could not undo it): the backup too.
        assertThat(decide(serving("image-and-data"), migration(Phase.Failed, null, "b.pgdump")))
                .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.method()).isEqualTo(Method.Restore));
        // ... and one whose command already ran needs nothing more.
        assertThat(decide(serving("image-and-data"), migration(Phase.RolledBack, "{command: [migrate, down]}", "b.pgdump")))
                .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.method()).isEqualTo(Method.None));
    }

    @Test
    void nothingCanBringTheDataBackWithoutACommandOrABackup() {
        assertThat(decide(serving("image-and-data"), migration(Phase.Succeeded, null, null)))
                .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.message()).contains("no pre-migration backup")
                        .contains("runway.dev/rollback=image").contains("Nothing was done"));
    }

    @Test
    void aMigratedRevisionNeedsAValueThatSaysWhatHappensToTheData() {
        for (String value : List.of("", "yes", "data")) {
            assertThat(decide(serving(value), migration(Phase.Succeeded, "{command: [down]}", "b.pgdump")))
                    .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.message()).contains("use image").contains("or image-and-data")
                            .contains("MigrationJob shop-1a2b3c4d migrates the database").contains("Nothing was done"));
        }
        assertThat(decide(serving("image"), migration(Phase.Succeeded, "{command: [down]}", "b.pgdump")))
                .isInstanceOfSatisfying(Accepted.class, a -> {
                    assertThat(a.method()).isEqualTo(Method.None);
                    assertThat(a.note()).contains("the data stays as MigrationJob shop-1a2b3c4d left it");
                });
        for (Phase unfinished : List.of(Phase.Pending, Phase.BackingUp, Phase.Running, Phase.RollingBack)) {
            assertThat(decide(serving("image"), migration(unfinished, "{command: [down]}", "b.pgdump")))
                    .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.message()).contains("is " + unfinished + "; annotate again"));
        }
    }

    @Test
    void withoutAMigrationAnEmptyValueRollsBackTheImage() {
        assertThat(decide(serving(""), null)).isInstanceOfSatisfying(Accepted.class, a -> {
            assertThat(a.method()).isEqualTo(Method.None);
            assertThat(a.note()).isEqualTo("no migration ran for " + V2);
        });
        assertThat(decide(serving("please"), null)).isInstanceOf(Refused.class);
    }

    @Test
    void nothingToRollBackToIsRefused() {
        Application first = serving("image");
        first.getStatus().history.remove(1);
        assertThat(decide(first, null)).isInstanceOfSatisfying(Refused.class, r -> assertThat(r.message()).contains("no earlier image"));
    }

    @Test
    void theLeverRecordsAFailedRevisionSoThePlannerServesTheEarlierImage() {
        Application app = serving("image-and-data");
        MigrationJob mj = migration(Phase.Succeeded, "{command: [migrate, down]}", "b.pgdump");
        List<String> events = new ArrayList<>();
        var lever = new RollbackLever(Clock.fixed(KstatusTest.NOW, ZoneOffset.UTC), recording(events));
        ApplicationPlan before = HoldsTest.plan(app, ApplicationPlanner.Gates.NONE);
        assertThat(before.image()).isEqualTo(V2);
        app.getStatus().history.forEach(r -> r.configHash = before.configHash());

        RollbackLever.Pulled pulled = lever.pull(app, before, Optional.of(mj));
        assertThat(pulled.replan()).isTrue();
        assertThat(pulled.settled()).as("the annotation stays until the status read back records it").isFalse();
        ApplicationPlan after = HoldsTest.plan(app, ApplicationPlanner.Gates.NONE);
        assertThat(after.hold()).isInstanceOf(Hold.FailedRevision.class);
        assertThat(after.image()).isEqualTo(V1);
        var rollback = app.getStatus().rollback;
        assertThat(rollback.image).isEqualTo(V2);
        assertThat(rollback.toImage).isEqualTo(V1);
        assertThat(rollback.outcome).isEqualTo("InProgress");
        assertThat(rollback.data.method).isEqualTo("Command");
        assertThat(rollback.data.job).isEqualTo("shop-1a2b3c4d-rollback");
        assertThat(ConditionFactory.find(app.getStatus().conditions, ConditionTypes.ROLLBACK).get().getReason()).isEqualTo("RollbackInProgress");
        assertThat(events).singleElement().asString().startsWith("Normal RollbackStarted");

        // The next reconcile reads the recorded rollback: the annotation goes, nothing is done again.
        assertThat(lever.pull(app, after, Optional.of(mj))).isEqualTo(new RollbackLever.Pulled(false, true));
    }

    @Test
    void theOutcomeWaitsForTheEarlierImageToServeUnlessSpecImageMovesOn() {
        Application app = serving("image");
        List<String> events = new ArrayList<>();
        var lever = new RollbackLever(Clock.fixed(KstatusTest.NOW, ZoneOffset.UTC), recording(events));
        lever.pull(app, HoldsTest.plan(app, ApplicationPlanner.Gates.NONE), Optional.empty());
        ApplicationPlan held = HoldsTest.plan(app, ApplicationPlanner.Gates.NONE);
        assertThat(lever.track(null, app.getStatus(), app, held, false, Optional.empty())).as("V1 still rolling out").isTrue();
        assertThat(app.getStatus().rollback.outcome).isEqualTo("InProgress");
        assertThat(lever.track(null, app.getStatus(), app, held, true, Optional.empty())).isFalse();
        assertThat(app.getStatus().rollback.outcome).isEqualTo("Succeeded");
        assertThat(app.getStatus().rollback.message).isEqualTo(V2 + " rolled back: " + V1 + " serves; data left as it is: no migration ran for " + V2);

        Application movedOn = serving("image");
        lever.pull(movedOn, HoldsTest.plan(movedOn, ApplicationPlanner.Gates.NONE), Optional.empty());
        movedOn.getSpec().image = "example.com/shop:3";
        assertThat(lever.track(null, movedOn.getStatus(), movedOn, HoldsTest.plan(movedOn, ApplicationPlanner.Gates.NONE), false,
                Optional.empty())).isFalse();
        assertThat(movedOn.getStatus().rollback.message).contains("spec.image changed since");
    }

    @Test
    void aRefusalIsAWarningAndAConditionAndChangesNothingElse() {
        Application app = serving("yes");
        List<String> events = new ArrayList<>();
        var lever = new RollbackLever(Clock.fixed(KstatusTest.NOW, ZoneOffset.UTC), recording(events));
        ApplicationPlan plan = HoldsTest.plan(app, ApplicationPlanner.Gates.NONE);
        MigrationJob mj = migration(Phase.Succeeded, "{command: [down]}", "b.pgdump");
        RollbackLever.Pulled pulled = lever.pull(app, plan, Optional.of(mj));
        assertThat(pulled).as("recorded first; removed once the status read back says so").isEqualTo(new RollbackLever.Pulled(false, false));
        assertThat(app.getStatus().failedRevision).isNull();
        assertThat(app.getStatus().stableImage).isEqualTo(V2);
        assertThat(app.getStatus().rollback).isNull();
        assertThat(ConditionFactory.find(app.getStatus().conditions, ConditionTypes.ROLLBACK).get().getReason()).isEqualTo("RollbackRefused");
        assertThat(events).singleElement().asString().startsWith("Warning RollbackRefused");
        assertThat(lever.pull(app, plan, Optional.of(mj))).isEqualTo(new RollbackLever.Pulled(false, true));
        assertThat(events).as("one Warning per request").hasSize(1);
    }

    @Test
    void theRestoreIsInPlaceWithConsentAndItsNameFitsARestore() {
        Application app = KstatusTest.app("{image: \"" + V2 + "\", port: 8080}");
        app.getMetadata().setName("a-very-long-application-name-that-fills-most-of-the-limit");
        MigrationJob mj = migration(Phase.Succeeded, null, "b.pgdump");
        String name = RollbackDecision.restoreName(app, mj);
        assertThat(name).hasSizeLessThanOrEqualTo(40).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").contains("-rollback-");
        var restore = RollbackLever.restoreOf(app, mj, name);
        assertThat(restore.getSpec().backupPolicy).isEqualTo("nightly");
        assertThat(restore.getSpec().backup.select.name()).isEqualTo("PreMigration");
        assertThat(restore.getSpec().backup.migrationJob).isEqualTo("shop-1a2b3c4d");
        assertThat(restore.getSpec().target.inPlace).isTrue();
        assertThat(restore.getSpec().target.replaceExistingData).isTrue();
    }

    static EventRecorder recording(List<String> into) {
        return new EventRecorder(null, Clock.systemUTC()) {
            @Override
            public void normal(HasMetadata on, String reason, String message) {
                into.add("Normal " + reason + ": " + message);
            }

            @Override
            public void warning(HasMetadata on, String reason, String message) {
                into.add("Warning " + reason + ": " + message);
            }
        };
    }
}
