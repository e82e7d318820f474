package dev.runway.operator.application;

import static dev.runway.operator.api.v1alpha1.ConditionTypes.AVAILABLE;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.PROGRESSING;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.DEGRADED;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.AWAITING_PROMOTION;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.PROMOTION_BLOCKED;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.PROMOTION_READY;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.SCALING_LIMITED;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.MONITORING;
import static dev.runway.operator.api.v1alpha1.ConditionTypes.GENERATED_SECRETS;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Revision;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.common.Transition;
import dev.runway.operator.migration.MigrationGate;

/** Maps what an Application's workload reports into the Application's status. */
public class ApplicationStatusFactory {
    static final int HISTORY_LIMIT = 10;

    private final Clock clock;
    private final ConditionFactory conditions;

    public ApplicationStatusFactory(Clock clock) {
        this.clock = clock;
        this.conditions = new ConditionFactory(clock);
    }

    /** Status while referenced Secrets are missing: nothing is rolled out until they exist. */
    ApplicationStatus missingSecrets(Application app, ApplicationPlan plan) {
        ApplicationStatus status = base(app, plan);
        String msg = "Secret " + String.join(", ", plan.missingSecrets()) + " not found in " + app.getMetadata().getNamespace()
                + "; create it or fix spec.secretRefs. Nothing new is rolled out until it exists.";
        if (status.phase == null || status.phase == Phase.Pending) {
            status.phase = Phase.Pending;
        } else {
            status.phase = Phase.Degraded;
        }
        summary(status, Outcome.STALLED, "SecretNotFound", msg, app);
        return status;
    }

    /** Status while the spec asks for pods the namespace would reject: nothing new is rolled out; what serves keeps serving. */
    ApplicationStatus refused(Application app, ApplicationPlan plan, String reason, String message) {
        ApplicationStatus status = base(app, plan);
        status.phase = status.phase == null || status.phase == Phase.Pending ? Phase.Pending : Phase.Degraded;
        summary(status, Outcome.STALLED, reason, message, app);
        return status;
    }

    /** Status while a hold keeps the first image back: nothing serves, nothing rolls out; {@link #hold} says why. */
    ApplicationStatus nothingServes(Application app, ApplicationPlan plan) {
        ApplicationStatus status = base(app, plan);
        status.phase = Phase.Pending;
        summary(status, Outcome.WAITING, plan.hold().reason(), plan.held(), app);
        return status;
    }

    /** Status when the reconcile itself failed (API error, quota, permission). */
    ApplicationStatus error(Application app, String message) {
        ApplicationStatus status = StatusSupport.copy(app.getStatus(), ApplicationStatus.class);
        status = status == null ? new ApplicationStatus() : status;
        status.observedGeneration = app.getMetadata().getGeneration();
        summary(status, Outcome.RETRYING, ConditionFactory.RECONCILE_FAILED, ConditionFactory.retryingMessage(message), app);
        return status;
    }

    /** The status for {@code app} given what its workload (Deployment or Rollout) reports. */
    ApplicationStatus fromWorkload(Application app, ApplicationPlan plan, WorkloadState state, boolean blueGreen) {
        ApplicationStatus status = base(app, plan);
        replicas(status, state);
        boolean rollbackAutomatic = app.getSpec().rollback == null || !Boolean.FALSE.equals(app.getSpec().rollback.automatic);
        status.previewImage = null;

        if (state.failureReason() != null && blueGreen) {
            // Argo Rollouts keeps the old revision active: nothing to roll back, a human decides.
            status.phase = Phase.Degraded;
            markHead(status, state.aborted() ? "Aborted" : "Failed");
            boolean switchedBack = state.failureMessage() != null && state.failureMessage().startsWith(AnalysisTemplates.POST);
            summary(status, Outcome.STALLED, state.failureReason(), "revision " + plan.image()
                    + (switchedBack ? " went live and was switched back: " : " did not go live: ")
                    + state.failureMessage() + ". " + status.stableImage + " keeps serving; set a new spec.image to try again.", app);
        } else if (state.failureReason() != null) {
            String msg = "revision " + plan.image() + " did not become available within "
                    + DeploymentDependent.progressDeadline(app.getSpec()) + "s: " + state.failureMessage()
                    + ". Check the pods' events (image pull, crash loop, probes).";
            boolean canRollBack = rollbackAutomatic && plan.held() == null && status.stableImage != null
                    && !status.stableImage.equals(plan.image());
            if (canRollBack) {
                var failed = new ApplicationStatus.FailedRevision();
                failed.image = plan.image();
                failed.configHash = plan.configHash();
                failed.reason = state.failureReason();
                failed.failedAt = now();
                status.failedRevision = failed;
                status.phase = Phase.RolledBack;
                markHead(status, "RolledBack");
                summary(status, Outcome.STALLED, "RolledBack", msg + " Rolling back to " + status.stableImage + ".", app);
            } else {
                status.phase = Phase.Degraded;
                markHead(status, "Failed");
                summary(status, Outcome.STALLED, state.failureReason(), msg, app);
            }
        } else if (state.rolledOut()) {
            status.stableImage = plan.image();
            markHealthy(status, blueGreen ? "Promoted" : "Healthy");
            status.phase = Phase.Healthy;
            if (plan.hold() == null) {
                status.failedRevision = null;
            }
            summary(status, Outcome.READY, "RolloutComplete", state.ready() + "/" + state.desired() + " pods ready on " + plan.image(), app);
        } else if (state.awaitingPromotion()) {
            status.phase = Phase.AwaitingPromotion;
            String promote = "kubectl annotate application " + app.getMetadata().getName() + " -n " + app.getMetadata().getNamespace()
                    + " runway.dev/promote=";
            if (state.canary() != null) {
                summary(status, Outcome.PROGRESSING, "AwaitingPromotion", "canary " + plan.image() + " " + canaryStep(state.canary())
                        + "; " + status.stableImage + " serves the rest; go on with: " + promote, app);
            } else {
                status.previewImage = plan.image();
                summary(status, Outcome.PROGRESSING, "AwaitingPromotion", "preview " + plan.image() + " is ready on Service "
                        + ApplicationNames.preview(app) + "; promote it with: " + promote, app);
            }
        } else {
            status.phase = state.exists() ? Phase.Progressing : Phase.Pending;
            if (blueGreen && state.canary() == null && status.stableImage != null && !status.stableImage.equals(plan.image())) {
                status.previewImage = plan.image();
            }
            String msg = state.exists()
                    ? "rolling out " + plan.image() + ": " + state.updated() + "/" + state.desired() + " updated, "
                            + state.available() + " available"
                    : "creating the " + (blueGreen ? "Rollout" : "Deployment");
            if (state.exists() && state.canary() != null) {
                msg = "canary " + plan.image() + " " + canaryStep(state.canary()) + ": " + state.updated() + "/" + state.desired()
                        + " pods on it, " + state.available() + " available";
            }
            summary(status, Outcome.PROGRESSING, "RolloutInProgress", msg, app);
        }
        status.canary = state.canary();
        long generation = app.getMetadata().getGeneration();
        conditions.set(status.conditions, AWAITING_PROMOTION, state.awaitingPromotion(),
                state.awaitingPromotion() ? "AwaitingPromotion" : "NothingToPromote",
                state.awaitingPromotion() ? (state.canary() != null ? "canary " : "preview ") + plan.image() + " waits for runway.dev/promote"
                        : "no preview waits for promotion",
                generation);
        conditions.set(status.conditions, AVAILABLE, state.available() > 0 || state.desired() == 0,
                state.available() > 0 ? "MinimumReplicasAvailable" : "NoReplicasAvailable",
                state.available() + " of " + state.desired() + " pods available", generation);
        return status;
    }

    /** E.g. "at step 2/5 (pause until runway.dev/promote), 20% of the pods". */
    private static String canaryStep(ApplicationStatus.CanaryProgress canary) {
        return "at step " + Math.min(canary.step + 1, canary.steps) + "/" + canary.steps + " (" + canary.current + "), "
                + canary.weight + "% of the pods";
    }

    /**
     * Renders the plan's {@link Hold} over what the workload reported: the one place a hold turns
     * into phase and summary. A migration under way or failed speaks for the Application whatever
     * the serving revision does; the other holds speak once the serving image runs fully (else its
     * own rollout is the news). While spec.image is held and the serving image runs healthy, the
     * phase says what serves: Healthy (soak), AwaitingPromotion (approval), RolledBack.
     */
    void hold(ApplicationStatus status, Application app, ApplicationPlan plan, boolean servingRolledOut) {
        Hold hold = plan.hold();
        long generation = app.getMetadata().getGeneration();
        if (hold instanceof Hold.Migration m) {
            status.migration = MigrationGate.ref(m.decision());
            conditions.set(status.conditions, MigrationGate.MIGRATION_SUCCEEDED, false, m.reason(), m.message(), generation);
            boolean failed = m.decision().state() == MigrationGate.State.FAILED;
            status.phase = failed ? Phase.Degraded : Phase.Migrating;
            summary(status, m.stuck() ? Outcome.STALLED : Outcome.PROGRESSING, m.reason(), m.message(), app);
            return;
        }
        if (!servingRolledOut || hold == null) {
            return;
        }
        String serving = status.stableImage + " keeps serving; ";
        if (hold instanceof Hold.FailedRevision f) {
            status.phase = Phase.RolledBack;
            summary(status, Outcome.STALLED, f.reason(), status.stableImage + " is serving; " + f.message() + ".", app);
        } else if (hold instanceof Hold.Soak s) {
            status.phase = Phase.Healthy;
            summary(status, Outcome.WAITING, s.reason(), serving + s.message(), app);
        } else if (hold instanceof Hold.Approval a) {
            status.phase = Phase.AwaitingPromotion;
            summary(status, Outcome.WAITING, a.reason(), a.message(), app);
        }
    }

    /**
     * status.migration and MigrationSucceeded for a migration that no longer holds: succeeded, or
     * spec.image serves. Unchanged while an earlier hold keeps the migration from starting.
     */
    void migrationPassed(ApplicationStatus status, Application app, ApplicationPlan plan, MigrationGate.Decision decision) {
        Hold hold = plan.hold();
        if (decision.state() == MigrationGate.State.NOT_APPLICABLE || hold instanceof Hold.FailedRevision || hold instanceof Hold.Soak
                || hold instanceof Hold.Migration) {
            return;
        }
        status.migration = MigrationGate.ref(decision);
        conditions.set(status.conditions, MigrationGate.MIGRATION_SUCCEEDED, true, "MigrationSucceeded", decision.message(),
                app.getMetadata().getGeneration());
    }

    /**
     * PromotionReady: every check of the candidate image and its state, in one message. Present once
     * some check applies to the Application (an upstream soak, a migration, analysis or approval);
     * True once every check passed, and while spec.image serves.
     *
     * @param previewAwaits a blue-green preview of spec.image is ready and waits for runway.dev/promote
     */
    void promotionReady(ApplicationStatus status, Application app, ApplicationPlan plan, boolean previewAwaits) {
        long generation = app.getMetadata().getGeneration();
        PromotionChecks checks = plan.checks();
        boolean present = ConditionFactory.find(status.conditions, PROMOTION_READY).isPresent();
        if (checks == null) {
            if (present) {
                conditions.set(status.conditions, PROMOTION_READY, true, "Promoted", app.getSpec().image + " serves", generation);
            }
            return;
        }
        if (!checks.gated() && !present) {
            return;
        }
        if (previewAwaits) {
            checks = checks.with("approval", PromotionChecks.WAITING, "kubectl annotate application " + app.getMetadata().getName()
                    + " -n " + app.getMetadata().getNamespace() + " " + RolloutLevers.PROMOTE + "=");
        }
        Hold hold = plan.hold();
        String reason = hold != null ? hold.reason() : previewAwaits ? AWAITING_PROMOTION : "ChecksPassed";
        conditions.set(status.conditions, PROMOTION_READY, hold == null && !previewAwaits, reason, checks.message(), generation);
    }

    /**
     * A rollout that waits on pods that cannot become available: the pods' own cause and its remedy
     * in the summary, instead of only the counts.
     */
    void podTrouble(ApplicationStatus status, Application app, PodTrouble trouble, boolean somethingServes) {
        String waiting = ConditionFactory.find(status.conditions, ConditionFactory.READY).map(c -> c.getMessage()).orElse("");
        if (somethingServes) {
            summary(status, Outcome.PROGRESSING, trouble.reason(), waiting + ": " + trouble.message(), app);
        } else {
            // Nothing healthy serves: Degraded, and still retried (the cause may clear by itself).
            status.phase = Phase.Degraded;
            summary(status, Outcome.RETRYING, trouble.reason(), waiting + "; no pod is available: " + trouble.message(), app);
        }
    }

    /**
     * ScalingLimited, with spec.autoscaling: True while the HPA runs maxReplicas pods and its metric
     * is over target (the app is short of capacity), False otherwise; absent without autoscaling.
     */
    void scalingLimited(ApplicationStatus status, Application app, java.util.Optional<PodTrouble> atMax) {
        long generation = app.getMetadata().getGeneration();
        if (atMax.isPresent()) {
            conditions.set(status.conditions, SCALING_LIMITED, true, atMax.get().reason(), atMax.get().message(), generation);
        } else {
            conditions.set(status.conditions, SCALING_LIMITED, false, "WithinLimits",
                    "the HorizontalPodAutoscaler can still add pods, or needs none", generation);
        }
    }

    /** Status of a BlueGreen Application when Argo Rollouts is not installed. */
    ApplicationStatus argoRolloutsMissing(Application app, ApplicationPlan plan) {
        ApplicationStatus status = base(app, plan);
        status.phase = Phase.Pending;
        summary(status, Outcome.STALLED, "ArgoRolloutsNotInstalled", "spec.strategy.type BlueGreen needs Argo Rollouts, whose "
                + "CRD rollouts.argoproj.io is not installed; install Argo Rollouts (Runway picks it up without a restart) "
                + "or use strategy RollingUpdate.", app);
        return status;
    }

    /** Common fields, and a new history entry when the revision (image + config) changed. */
    private ApplicationStatus base(Application app, ApplicationPlan plan) {
        ApplicationStatus status = StatusSupport.copy(app.getStatus(), ApplicationStatus.class);
        status = status == null ? new ApplicationStatus() : status;
        status.observedGeneration = app.getMetadata().getGeneration();
        status.image = app.getSpec().image;
        status.configHash = plan.configHash();
        status.restartedAt = plan.restartedAt();
        status.url = app.getSpec().ingress != null ? IngressDependent.url(app)
                : dev.runway.operator.common.PodTemplates.worker(app.getSpec()) ? null
                : "http://" + app.getMetadata().getName() + "." + app.getMetadata().getNamespace() + ".svc";
        promotionCondition(status, plan, app.getMetadata().getGeneration());
        if (plan.missingSecrets().isEmpty() && plan.held() == null && plan.refusal() == null) {
            Revision head = status.history.isEmpty() ? null : status.history.get(0);
            if (head == null || !Objects.equals(head.image, plan.image()) || !Objects.equals(head.configHash, plan.configHash())) {
                if (head != null && "Progressing".equals(head.outcome)) {
                    head.outcome = "Superseded";
                }
                Revision next = new Revision();
                next.revision = head == null ? 1 : head.revision + 1;
                next.image = plan.image();
                next.configHash = plan.configHash();
                next.deployedAt = now();
                next.outcome = "Progressing";
                List<Revision> history = new ArrayList<>(status.history);
                history.add(0, next);
                status.history = history.size() > HISTORY_LIMIT ? new ArrayList<>(history.subList(0, HISTORY_LIMIT)) : history;
            }
        }
        return status;
    }

    /** PromotionBlocked=True while the gate holds spec.image; False (kept, with its time) once released. */
    private void promotionCondition(ApplicationStatus status, ApplicationPlan plan, long generation) {
        if (plan.hold() instanceof Hold.Soak soak) {
            conditions.set(status.conditions, PROMOTION_BLOCKED, true, PROMOTION_BLOCKED, soak.message(), generation);
        } else if (ConditionFactory.find(status.conditions, PROMOTION_BLOCKED).isPresent()) {
            conditions.set(status.conditions, PROMOTION_BLOCKED, false, "PromotionAllowed",
                    "the promotion gate lets " + status.image + " through", generation);
        }
    }

    private void markHealthy(ApplicationStatus status, String outcome) {
        status.history.stream()
                .filter(r -> Objects.equals(r.image, status.stableImage))
                .findFirst()
                .filter(r -> "Progressing".equals(r.outcome))
                .ifPresent(r -> {
                    r.outcome = outcome;
                    r.healthyAt = now();
                });
    }

    private void markHead(ApplicationStatus status, String outcome) {
        if (!status.history.isEmpty() && "Progressing".equals(status.history.get(0).outcome)) {
            status.history.get(0).outcome = outcome;
        }
    }

    private void replicas(ApplicationStatus status, WorkloadState state) {
        var replicas = new ApplicationStatus.Replicas();
        replicas.desired = state.desired();
        replicas.ready = state.ready();
        replicas.updated = state.updated();
        status.replicas = replicas;
        status.ready = state.ready() + "/" + state.desired();
    }

    /** WAITING: held back by something that resolves by itself (the promotion soak). */
    enum Outcome { READY, PROGRESSING, STALLED, RETRYING, WAITING }

    /**
     * Ready / Reconciling / Stalled by the rule every kind follows (ConditionFactory.summary), and the
     * Application's own Progressing and Degraded by the same rule: the message on a True condition only.
     */
    private void summary(ApplicationStatus status, Outcome outcome, String reason, String message, Application app) {
        long generation = app.getMetadata().getGeneration();
        var list = status.conditions;
        conditions.summary(list, switch (outcome) {
            case READY -> ConditionFactory.Outcome.READY;
            case STALLED -> ConditionFactory.Outcome.STALLED;
            case PROGRESSING, RETRYING, WAITING -> ConditionFactory.Outcome.RECONCILING;
        }, reason, message, generation);
        boolean progressing = outcome == Outcome.PROGRESSING;
        conditions.set(list, PROGRESSING, progressing, reason, progressing ? message : "", generation);
        boolean degraded = outcome == Outcome.STALLED || outcome == Outcome.RETRYING;
        conditions.set(list, DEGRADED, degraded, reason, degraded ? message : "", generation);
    }

    /**
     * The Monitoring condition, apart from Ready (monitoring is an optional integration): True while
     * spec.monitoring is served, False with PrometheusOperatorNotInstalled while a CRD it needs is
     * missing, absent without spec.monitoring.
     *
     * @return whether a needed CRD is missing (look again later: nothing announces its arrival)
     */
    boolean monitoring(ApplicationStatus status, Application app, List<String> missingCrds) {
        var m = app.getSpec().monitoring;
        boolean requested = m != null && (Boolean.TRUE.equals(m.serviceMonitor) || m.alerts != null);
        long generation = app.getMetadata().getGeneration();
        if (!requested) {
            status.conditions.removeIf(c -> MONITORING.equals(c.getType()));
        } else if (missingCrds.isEmpty()) {
            conditions.set(status.conditions, MONITORING, true, "MonitoringConfigured",
                    "ServiceMonitor and PrometheusRule follow spec.monitoring", generation);
        } else {
            conditions.set(status.conditions, MONITORING, false, "PrometheusOperatorNotInstalled",
                    "spec.monitoring needs the Prometheus Operator, whose CRD " + String.join(", ", missingCrds)
                            + " is not installed; install the Prometheus Operator (or its CRDs; Runway picks them up "
                            + "without a restart) or remove spec.monitoring. Everything else is rolled out.", generation);
        }
        return requested && !missingCrds.isEmpty();
    }

    /**
     * The GeneratedSecrets condition: where the generated values the pods get came from. It keeps
     * its reason (Adopted, Regenerated, Rotated) until the next such event, so an SRE can read it
     * long after; it is absent without spec.generatedSecrets.
     */
    void generatedSecrets(ApplicationStatus status, Application app, ApplicationPlan plan, GeneratedSecretDependent.Origin origin) {
        var wanted = app.getSpec().generatedSecrets;
        if (wanted == null || wanted.isEmpty()) {
            status.conditions.removeIf(c -> GENERATED_SECRETS.equals(c.getType()));
            return;
        }
        long generation = app.getMetadata().getGeneration();
        String secret = ApplicationNames.generatedSecret(app);
        String keys = String.join(", ", wanted.stream().map(g -> g.key).toList());
        switch (origin) {
            case KEPT -> {
                if (ConditionFactory.find(status.conditions, GENERATED_SECRETS).isEmpty()) {
                    conditions.set(status.conditions, GENERATED_SECRETS, true, "Kept", "values of " + keys + " kept in Secret " + secret, generation);
                }
            }
            case GENERATED -> conditions.set(status.conditions, GENERATED_SECRETS, true, "Generated", "values of " + keys
                    + " generated into Secret " + secret + "; kept until runway.dev/rotate-secrets", generation);
            case ADOPTED -> conditions.set(status.conditions, GENERATED_SECRETS, true, "Adopted", "Secret " + secret
                    + " was left by an earlier Application of this name (spec.generatedSecretsRetention: Retain): its values are kept",
                    generation);
            case ROTATED -> conditions.set(status.conditions, GENERATED_SECRETS, true, "Rotated", "values of " + keys
                    + " rotated at " + plan.secretsRotatedAt() + " on runway.dev/rotate-secrets; the pods roll", generation);
            case REGENERATED -> conditions.set(status.conditions, GENERATED_SECRETS, false, "Regenerated", "Secret " + secret
                    + " was gone at " + now() + ": new values were generated for " + keys + ", and whatever the old values signed or encrypted no "
                    + "longer verifies. Set spec.generatedSecretsRetention: Retain to keep values when the Application or its Secret "
                    + "is re-created.", generation);
        }
    }

    /** Events for what changed between {@code before} and {@code after}. */
    List<Transition> transitions(ApplicationStatus before, ApplicationStatus after) {
        List<Transition> out = new ArrayList<>();
        Revision oldHead = before == null || before.history.isEmpty() ? null : before.history.get(0);
        Revision newHead = after.history.isEmpty() ? null : after.history.get(0);
        // A new revision replacing one: the first revision's rollout is the creation itself, and its end
        // (RolloutComplete, naming the image) or trouble has its own event below.
        if (newHead != null && oldHead != null && !Objects.equals(oldHead.revision, newHead.revision)) {
            out.add(new Transition(false, "RolloutStarted", "revision " + newHead.revision + ": " + newHead.image
                    + " (config " + newHead.configHash + ")"));
        }
        boolean wasBlocked = before != null && ConditionFactory.isTrue(before.conditions, PROMOTION_BLOCKED);
        if (!wasBlocked && ConditionFactory.isTrue(after.conditions, PROMOTION_BLOCKED)) {
            out.add(new Transition(true, PROMOTION_BLOCKED,
                    ConditionFactory.find(after.conditions, PROMOTION_BLOCKED).map(c -> c.getMessage()).orElse("")));
        }
        // The gate opens: every check of the candidate passed.
        boolean wasOpen = before != null && ConditionFactory.isTrue(before.conditions, PROMOTION_READY);
        var opened = ConditionFactory.find(after.conditions, PROMOTION_READY).filter(c -> "ChecksPassed".equals(c.getReason()));
        if (!wasOpen && opened.isPresent()) {
            out.add(new Transition(false, PROMOTION_READY, opened.get().getMessage()));
        }
        boolean wasLimited = before != null && ConditionFactory.isTrue(before.conditions, SCALING_LIMITED);
        var limited = ConditionFactory.find(after.conditions, SCALING_LIMITED).filter(c -> "True".equals(c.getStatus()));
        if (!wasLimited && limited.isPresent()) {
            out.add(new Transition(true, limited.get().getReason(), limited.get().getMessage()));
        }
        boolean monitoringWasFalse = before != null && ConditionFactory.find(before.conditions, MONITORING)
                .filter(c -> "False".equals(c.getStatus())).isPresent();
        var monitoring = ConditionFactory.find(after.conditions, MONITORING).filter(c -> "False".equals(c.getStatus()));
        if (!monitoringWasFalse && monitoring.isPresent()) {
            out.add(new Transition(true, monitoring.get().getReason(), monitoring.get().getMessage()));
        }
        // Adopted, Regenerated and Rotated are news (their messages carry the time); Kept and Generated are not.
        var generated = ConditionFactory.find(after.conditions, GENERATED_SECRETS)
                .filter(c -> !"Kept".equals(c.getReason()) && !"Generated".equals(c.getReason()));
        String generatedBefore = before == null ? null
                : ConditionFactory.find(before.conditions, GENERATED_SECRETS).map(c -> c.getReason() + c.getMessage()).orElse(null);
        if (generated.isPresent() && !Objects.equals(generatedBefore, generated.get().getReason() + generated.get().getMessage())) {
            out.add(new Transition("Regenerated".equals(generated.get().getReason()), "GeneratedSecrets" + generated.get().getReason(),
                    generated.get().getMessage()));
        }
        Phase oldPhase = before == null ? null : before.phase;
        if (after.phase != oldPhase || !sameReadyReason(before, after)) {
            String reason = ConditionFactory.find(after.conditions, ConditionFactory.READY).map(c -> c.getReason()).orElse("");
            String message = ConditionFactory.find(after.conditions, ConditionFactory.READY).map(c -> c.getMessage()).orElse("");
            boolean warning = after.phase == Phase.Degraded || after.phase == Phase.RolledBack || after.phase == Phase.Failed
                    || ConditionFactory.isTrue(after.conditions, ConditionFactory.STALLED);
            if (PROMOTION_BLOCKED.equals(reason)) {
                // Its own condition's transition above says it once.
            } else if (PodTrouble.REASONS.contains(reason) || Hold.AWAITING_APPROVAL.equals(reason)) {
                out.add(new Transition(true, reason, message));
            } else if (after.phase == Phase.Healthy || after.phase == Phase.AwaitingPromotion || warning) {
                out.add(new Transition(warning, reason, message));
            }
        }
        return out;
    }

    private static boolean sameReadyReason(ApplicationStatus before, ApplicationStatus after) {
        String a = before == null ? null
                : ConditionFactory.find(before.conditions, ConditionFactory.READY).map(c -> c.getReason()).orElse(null);
        String b = ConditionFactory.find(after.conditions, ConditionFactory.READY).map(c -> c.getReason()).orElse(null);
        return Objects.equals(a, b);
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
