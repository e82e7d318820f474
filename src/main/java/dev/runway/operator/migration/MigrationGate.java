package dev.runway.operator.migration;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.Migration;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobSpec;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/**
 * The migration gate of an Application with spec.migration: a new image serves only after its
 * MigrationJob succeeded. Pure: given the Application, the image its plan would roll out and the
 * MigrationJob for that image (if it exists), it says whether to hold the image back, which
 * MigrationJob to create, and what the Application's status should say.
 *
 * <p>The gate applies to an image that is about to roll out (the plan picked spec.image) and does
 * not serve yet (it is not status.stableImage): adding spec.migration to a running Application does
 * not migrate the image that already serves.
 */
public final class MigrationGate {
    public static final String MIGRATION_SUCCEEDED = "MigrationSucceeded";
    static final int DEFAULT_HISTORY_LIMIT = 5;

    private MigrationGate() {
    }

    /** How the migration of the image under way stands. */
    public enum State { NOT_APPLICABLE, MIGRATING, STALLED, FAILED, SUCCEEDED, NOT_OWNED }

    /** Condition reason when a MigrationJob of the expected name is not the Application's own. */
    public static final String NOT_OWNED_REASON = "MigrationJobNotOwned";

    /**
     * @param name   the MigrationJob for the image (null when NOT_APPLICABLE)
     * @param create the MigrationJob to create, when it does not exist yet
     * @param phase  its phase, when it reported one
     */
    public record Decision(State state, String image, String name, MigrationJob create, Phase phase, String message) {
        public static final Decision NONE = new Decision(State.NOT_APPLICABLE, null, null, null, null, null);

        /** Whether the image stays held back (the workload keeps status.stableImage, or nothing rolls out). */
        public boolean hold() {
            return state != State.NOT_APPLICABLE && state != State.SUCCEEDED;
        }
    }

    /**
     * @param plannedImage the image the Application's plan would run (null: nothing to roll out)
     * @param existing     the MigrationJob named {@link MigrationNames#forImage} for spec.image, if it exists
     */
    public static Decision check(Application app, String plannedImage, Optional<MigrationJob> existing) {
        Migration migration = app.getSpec().migration;
        String image = app.getSpec().image;
        String stable = app.getStatus() == null ? null : app.getStatus().stableImage;
        if (migration == null || plannedImage == null || !plannedImage.equals(image) || image.equals(stable)) {
            return Decision.NONE;
        }
        String name = MigrationNames.forImage(app.getMetadata().getName(), image);
        if (existing.isEmpty()) {
            return new Decision(State.MIGRATING, image, name, desired(app, name), null,
                    "creating MigrationJob " + name + " for " + image);
        }
        MigrationJob mj = existing.get();
        if (!ownedBy(mj, app)) {
            return notOwned(app, name, image);
        }
        var status = mj.getStatus();
        Phase phase = status == null ? null : status.phase;
        String ready = status == null ? null
                : ConditionFactory.find(status.conditions, ConditionFactory.READY).map(c -> c.getMessage()).orElse(null);
        String serving = stable == null ? "nothing is rolled out" : stable + " keeps serving";
        if (phase == Phase.Succeeded) {
            return new Decision(State.SUCCEEDED, image, name, null, phase, "MigrationJob " + name + " succeeded; rolling out " + image);
        }
        if (phase == Phase.Failed || phase == Phase.RolledBack || phase == Phase.RollingBack) {
            String why = status.message != null ? status.message : ready;
            return new Decision(State.FAILED, image, name, null, phase, "migration " + name + " for " + image + " "
                    + (phase == Phase.RollingBack ? "failed and is rolling back" : phase == Phase.RolledBack ? "failed and was rolled back" : "failed")
                    + ": " + why + ". " + serving + "; fix the migration and set a new spec.image.");
        }
        boolean stalled = status != null && ConditionFactory.isTrue(status.conditions, ConditionFactory.STALLED);
        return new Decision(stalled ? State.STALLED : State.MIGRATING, image, name, null, phase, "migrating for " + image
                + " (MigrationJob " + name + ", " + (phase == null ? "Pending" : phase) + (ready == null ? "" : ": " + ready) + "); "
                + serving + " until it succeeds");
    }

    /**
     * A MigrationJob of the expected name that the Application did not make (no controller
     * ownerReference to its uid): it is never trusted to open the gate, never adopted, never deleted.
     */
    public static Decision notOwned(Application app, String name, String image) {
        String stable = app.getStatus() == null ? null : app.getStatus().stableImage;
        return new Decision(State.NOT_OWNED, image, name, null, null, "MigrationJob " + name
                + " exists but is not owned by Application " + app.getMetadata().getName()
                + " (no ownerReference to its uid), so it is not trusted to migrate " + image + "; "
                + (stable == null ? "nothing is rolled out" : stable + " keeps serving")
                + ". Delete or rename MigrationJob " + name + " and Runway creates the Application's own");
    }

    /** Whether {@code mj} is controlled by this very Application (by uid, not by name or label). */
    public static boolean ownedBy(MigrationJob mj, Application app) {
        String uid = app.getMetadata().getUid();
        return uid != null && mj.getMetadata().getOwnerReferences() != null && mj.getMetadata().getOwnerReferences().stream()
                .anyMatch(ref -> uid.equals(ref.getUid()) && Boolean.TRUE.equals(ref.getController()));
    }

    /** The MigrationJob an Application makes for {@code name}'s image, owned by the Application. */
    static MigrationJob desired(Application app, String name) {
        Migration m = app.getSpec().migration;
        MigrationJob mj = new MigrationJob();
        var labels = Labels.standard(app, "migration");
        labels.put(MigrationNames.APPLICATION_LABEL, app.getMetadata().getName());
        mj.setMetadata(new ObjectMetaBuilder()
                .withName(name).withNamespace(app.getMetadata().getNamespace()).withLabels(labels)
                .addToOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(app.getApiVersion()).withKind(app.getKind())
                        .withName(app.getMetadata().getName()).withUid(app.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .build());
        MigrationJobSpec spec = new MigrationJobSpec();
        spec.application = app.getMetadata().getName();
        spec.image = app.getSpec().image;
        spec.command = m.command;
        spec.args = m.args;
        spec.env = app.getSpec().env == null || app.getSpec().env.isEmpty() ? null : new java.util.TreeMap<>(app.getSpec().env);
        spec.databaseSecretRef = m.databaseSecretRef;
        if (m.backupPolicy != null) {
            spec.backup = new MigrationJobSpec.Backup();
            spec.backup.policy = m.backupPolicy;
            spec.backup.required = m.backupRequired;
        }
        spec.rollback = m.rollback;
        // The same image runs the same way: who it runs as, where it pulls from, its identity.
        spec.serviceAccountName = app.getSpec().serviceAccountName;
        spec.imagePullSecrets = app.getSpec().imagePullSecrets == null || app.getSpec().imagePullSecrets.isEmpty() ? null
                : app.getSpec().imagePullSecrets;
        spec.securityContext = app.getSpec().securityContext;
        spec.timeoutSeconds = m.timeoutSeconds;
        spec.backoffLimit = m.backoffLimit;
        mj.setSpec(spec);
        mj.setStatus(null); // the status subresource is the MigrationJob controller's to write
        return mj;
    }

    /**
     * The Application's MigrationJobs to delete: all but the newest historyLimit (default 5), never
     * the one of spec.image or status.stableImage, never one still under way.
     */
    public static List<MigrationJob> expired(Application app, List<MigrationJob> owned) {
        Migration m = app.getSpec().migration;
        int limit = m != null && m.historyLimit != null ? m.historyLimit : DEFAULT_HISTORY_LIMIT;
        String name = app.getMetadata().getName();
        String current = MigrationNames.forImage(name, app.getSpec().image);
        String stable = app.getStatus() == null || app.getStatus().stableImage == null ? null
                : MigrationNames.forImage(name, app.getStatus().stableImage);
        List<MigrationJob> newestFirst = owned.stream()
                .sorted(Comparator.comparing((MigrationJob mj) -> String.valueOf(mj.getMetadata().getCreationTimestamp())).reversed()
                        .thenComparing(mj -> mj.getMetadata().getName()))
                .toList();
        return newestFirst.stream().skip(limit)
                .filter(mj -> !mj.getMetadata().getName().equals(current) && !mj.getMetadata().getName().equals(stable))
                .filter(MigrationGate::finished)
                .toList();
    }

    private static boolean finished(MigrationJob mj) {
        Phase phase = mj.getStatus() == null ? null : mj.getStatus().phase;
        return phase == Phase.Succeeded || phase == Phase.Failed || phase == Phase.RolledBack;
    }

    /** status.migration for the decision (unchanged when the gate does not apply). */
    public static ApplicationStatus.MigrationRef ref(Decision decision) {
        var ref = new ApplicationStatus.MigrationRef();
        ref.name = decision.name();
        ref.phase = decision.phase() == null ? Phase.Pending.name() : decision.phase().name();
        return ref;
    }
}
