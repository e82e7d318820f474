package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.environment.PromotionGate;
import dev.runway.operator.migration.MigrationGate;
import dev.runway.operator.testing.Kstatus;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Which {@link Hold} the planner picks, what the Deployment then runs, and how the status factory renders it. */
@Tag(Tiers.UNIT)
class HoldsTest {
    static final String V1 = "example.com/shop:1";
    static final String V2 = "example.com/shop:2";
    final ApplicationStatusFactory factory = new ApplicationStatusFactory(Clock.fixed(KstatusTest.NOW, ZoneOffset.UTC));

    static Environment production() {
        return new KubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: prod}
                spec: {tier: Production, namespace: team-a}
                """, Environment.class);
    }

    /** spec.image V2 while V1 serves, V1 heading the history. */
    static Application upgrading(String strategy) {
        return upgrading(strategy, "");
    }

    static Application upgrading(String strategy, String more) {
        Application app = KstatusTest.app("{image: \"" + V2 + "\", port: 8080, strategy: {type: " + strategy + "}" + more + "}");
        app.setStatus(new ApplicationStatus());
        app.getStatus().stableImage = V1;
        var head = new ApplicationStatus.Revision();
        head.revision = 1L;
        head.image = V1;
        head.outcome = "Healthy";
        app.getStatus().history.add(head);
        return app;
    }

    static ApplicationPlan plan(Application app, ApplicationPlanner.Gates gates) {
        return ApplicationPlanner.plan(app, Optional.of(production()), Map.of(), Optional.empty(), Optional.empty(), gates,
                KstatusTest.NOW, ApplicationDesiredStateTest.GOLDEN_HASH_KEY, Optional.empty());
    }

    @Test
    void aRollingUpdateInAnEnvironmentThatRequiresApprovalKeepsTheServingImageInItsDeployment() {
        Application app = upgrading("RollingUpdate");
        ApplicationPlan plan = plan(app, ApplicationPlanner.Gates.NONE);
        assertThat(plan.hold()).isInstanceOf(Hold.Approval.class);
        assertThat(plan.image()).isEqualTo(V1);
        assertThat(DeploymentDependent.build(app, plan).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .as("no pod of the new image before approval").isEqualTo(V1);

        ApplicationStatus status = factory.fromWorkload(app, plan, KstatusTest.rolledOut(), false);
        factory.hold(status, app, plan, true);
        factory.promotionReady(status, app, plan, false);
        assertThat(status.phase).isEqualTo(Phase.AwaitingPromotion);
        assertThat(status.stableImage).isEqualTo(V1);
        assertThat(Kstatus.of(4L, status)).isEqualTo(Kstatus.Result.InProgress);
        var gate = ConditionFactory.find(status.conditions, ConditionTypes.PROMOTION_READY).orElseThrow();
        assertThat(gate.getStatus()).isEqualTo("False");
        assertThat(gate.getMessage()).isEqualTo("checks for " + V2 + ": upstream soak: not required; migration: not required; "
                + "pre-migration backup: not required; analysis: not required; "
                + "approval: waiting (kubectl annotate application shop -n team-a runway.dev/promote=)");
    }

    @Test
    void theApprovalLetsTheImageThroughAndIsNotAskedAgainOnceItStartedRollingOut() {
        Application app = upgrading("RollingUpdate");
        ApplicationPlan approved = plan(app, new ApplicationPlanner.Gates(Optional.empty(), MigrationGate.Decision.NONE, Optional.empty(), true));
        assertThat(approved.hold()).isNull();
        assertThat(approved.image()).isEqualTo(V2);
        ApplicationStatus status = factory.fromWorkload(app, approved, KstatusTest.rollingOut(), false);
        factory.promotionReady(status, app, approved, false);
        assertThat(ConditionFactory.find(status.conditions, ConditionTypes.PROMOTION_READY).orElseThrow())
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"))
                .satisfies(c -> assertThat(c.getMessage()).contains("approval: passed"));
        assertThat(status.history.get(0).image).isEqualTo(V2);
        assertThat(factory.transitions(app.getStatus(), status)).extracting(dev.runway.operator.common.Transition::reason)
                .contains("PromotionReady");

        app.setStatus(status); // the annotation is gone now; V2 heads the history
        assertThat(plan(app, ApplicationPlanner.Gates.NONE).hold()).isNull();
    }

    @Test
    void theFirstImageABlueGreenAndANonProductionEnvironmentNeedNoApprovalFromThePlanner() {
        Application first = KstatusTest.app("{image: \"" + V2 + "\", port: 8080}");
        assertThat(plan(first, ApplicationPlanner.Gates.NONE).hold()).isNull();
        // Blue-green: Argo Rollouts' pause on the preview is the approval.
        assertThat(plan(upgrading("BlueGreen"), ApplicationPlanner.Gates.NONE).hold()).isNull();
        Application staging = upgrading("RollingUpdate");
        assertThat(ApplicationPlanner.plan(staging, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(),
                ApplicationPlanner.Gates.NONE, KstatusTest.NOW, ApplicationDesiredStateTest.GOLDEN_HASH_KEY, Optional.empty()).hold())
                .isNull();
    }

    @Test
    void holdsComeInOrderRolledBackThenSoakThenMigrationThenApproval() {
        Application app = upgrading("RollingUpdate", ", migration: {command: [migrate], databaseSecretRef: db, backupPolicy: nightly}");
        var soak = Optional.of(new PromotionGate.Hold("image " + V2 + " has not run in uat", Duration.ofSeconds(30)));
        var migrating = new MigrationGate.Decision(MigrationGate.State.MIGRATING, V2, "shop-2", null, null, "migrating for " + V2);
        assertThat(plan(app, new ApplicationPlanner.Gates(soak, migrating, Optional.empty(), false)).hold()).isInstanceOf(Hold.Soak.class);
        ApplicationPlan migration = plan(app, new ApplicationPlanner.Gates(Optional.empty(), migrating, Optional.empty(), false));
        assertThat(migration.hold()).isInstanceOf(Hold.Migration.class);
        assertThat(migration.checks().message()).contains("migration: running (MigrationJob shop-2, Pending)")
                .contains("pre-migration backup: waiting (BackupPolicy nightly, before the migration)").contains("approval: waiting");

        var failed = new ApplicationStatus.FailedRevision();
        failed.image = V2;
        failed.configHash = migration.configHash();
        failed.reason = "ProgressDeadlineExceeded";
        app.getStatus().failedRevision = failed;
        ApplicationPlan rolledBack = plan(app, new ApplicationPlanner.Gates(soak, migrating, Optional.empty(), true));
        assertThat(rolledBack.hold()).isInstanceOf(Hold.FailedRevision.class);
        assertThat(rolledBack.image()).isEqualTo(V1);
    }

    @Test
    void aSoakHoldWhileTheOldImageServesIsHealthyNotPending() {
        Application app = upgrading("RollingUpdate");
        var soak = Optional.of(new PromotionGate.Hold("image " + V2 + " has not run in uat", Duration.ofSeconds(30)));
        ApplicationPlan plan = plan(app, ApplicationPlanner.Gates.soakOnly(soak));
        ApplicationStatus status = factory.fromWorkload(app, plan, KstatusTest.rolledOut(), false);
        factory.hold(status, app, plan, true);
        assertThat(status.phase).isEqualTo(Phase.Healthy);
        assertThat(ConditionFactory.find(status.conditions, ConditionFactory.READY).orElseThrow().getMessage())
                .isEqualTo(V1 + " keeps serving; image " + V2 + " has not run in uat");
        assertThat(factory.transitions(app.getStatus(), status)).filteredOn(t -> t.reason().equals("PromotionBlocked"))
                .singleElement().satisfies(t -> assertThat(t.warning()).isTrue());
    }
}
