package dev.runway.operator.application;

import java.util.Objects;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Annotations;
import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus.Phase;
import dev.runway.operator.common.Hashes;
import dev.runway.operator.migration.MigrationNames;

/**
 * What {@code runway.dev/rollback} does, decided from the Application and the MigrationJob of its
 * image alone (pure; {@link RollbackLever} acts on it). The rolled-back revision is spec.image with
 * the current configuration; it goes back to the last image that served healthy. Its data:
 * <ul>
 * <li>no MigrationJob of spec.image (no spec.migration, or it is gone): nothing to do for the data;</li>
 * <li>value {@code image}: the data stays as the migration left it, by the user's choice;</li>
 * <li>value {@code image-and-data} (the consent to replace data): a succeeded migration's
 * {@code rollback.command} runs once as a Job, or, when the MigrationJob says
 * {@code rollback.restoreBackup} or has no command, its pinned pre-migration backup is restored in
 * place by a Restore (which takes a pinned safety backup first); a failed migration whose command
 * already ran (RolledBack) needs nothing more; one without a command gets the Restore;</li>
 * <li>anything else with a migrated revision is refused: nothing is done, and the refusal names the
 * accepted values. A MigrationJob that has not finished is refused too (its migration may still run).</li>
 * </ul>
 */
final class RollbackDecision {
    static final String IMAGE = "image";
    static final String IMAGE_AND_DATA = "image-and-data";
    static final String REFUSED = "RollbackRefused";
    /** status.failedRevision.reason of a revision rolled back by hand. */
    static final String REQUESTED = "RollbackRequested";

    enum Method { None, Command, Restore }

    /** The decision on a request. */
    sealed interface Outcome permits Recorded, Refused, Accepted {
    }

    /** The status already records this revision's rollback: the annotation can go. */
    record Recorded() implements Outcome {
    }

    /** Nothing is done; the message names the cause and the accepted values. */
    record Refused(String message) implements Outcome {
    }

    /**
     * The rollback to record and carry out.
     *
     * @param toImage      the image put back
     * @param method       what happens to the data
     * @param migrationJob the rolled-back image's MigrationJob, with Command or Restore
     * @param note         with None, why the data is left as it is
     */
    record Accepted(String toImage, Method method, MigrationJob migrationJob, String note) implements Outcome {
    }

    private RollbackDecision() {
    }

    static Outcome decide(Application app, String configHash, Optional<MigrationJob> migrationJob) {
        String value = Optional.ofNullable(app.getMetadata().getAnnotations()).map(a -> a.get(Annotations.ROLLBACK)).orElse(null);
        String image = app.getSpec().image;
        ApplicationStatus status = app.getStatus();
        if (status != null && status.rollback != null && image.equals(status.rollback.image)
                && Objects.equals(configHash, status.rollback.configHash)) {
            return new Recorded();
        }
        Optional<String> toImage = lastHealthyOther(status, image);
        if (toImage.isEmpty()) {
            return new Refused(Annotations.ROLLBACK + ": no earlier image served healthy here; nothing to roll " + image + " back to");
        }
        boolean known = IMAGE.equals(value) || IMAGE_AND_DATA.equals(value);
        if (migrationJob.isEmpty()) {
            if (!known && value != null && !value.isEmpty()) {
                return new Refused(refusal(value, "", image));
            }
            return new Accepted(toImage.get(), Method.None, null, "no migration ran for " + image);
        }
        Phase phase = Optional.ofNullable(migrationJob.get().getStatus()).map(st -> st.phase).orElse(Phase.Pending);
        String mjName = migrationJob.get().getMetadata().getName();
        if (!known) {
            return new Refused(refusal(value, " whose MigrationJob " + mjName + " migrates the database", image));
        }
        if (phase != Phase.Succeeded && phase != Phase.Failed && phase != Phase.RolledBack) {
            // Not finished: its migration may still run after the image went back; decide once it is known.
            return new Refused(Annotations.ROLLBACK + ": MigrationJob " + mjName + " is " + phase
                    + "; annotate again once it finished. Nothing was done.");
        }
        if (IMAGE.equals(value)) {
            return new Accepted(toImage.get(), Method.None, null, "runway.dev/rollback=image: the data stays as MigrationJob " + mjName
                    + " left it; " + IMAGE_AND_DATA + " would bring it back");
        }
        if (phase == Phase.RolledBack) {
            return new Accepted(toImage.get(), Method.None, null, "MigrationJob " + mjName + " failed and its rollback command already ran");
        }
        var spec = migrationJob.get().getSpec();
        boolean command = spec.rollback != null && spec.rollback.command != null && !spec.rollback.command.isEmpty()
                && !Boolean.TRUE.equals(spec.rollback.restoreBackup) && phase == Phase.Succeeded;
        if (command) {
            return new Accepted(toImage.get(), Method.Command, migrationJob.get(), null);
        }
        var backup = migrationJob.get().getStatus().backup;
        if (spec.backup == null || backup == null || backup.name == null) {
            return new Refused(Annotations.ROLLBACK + ": MigrationJob " + mjName + " took no pre-migration backup and "
                    + (phase == Phase.Succeeded ? "sets rollback.restoreBackup or has no rollback command" : "its migration failed without a rollback")
                    + ", so nothing can bring the data back. Use " + Annotations.ROLLBACK + "=" + IMAGE
                    + " to roll back the image only, or create a Restore by hand. Nothing was done.");
        }
        return new Accepted(toImage.get(), Method.Restore, migrationJob.get(), null);
    }

    private static String refusal(String value, String migrated, String image) {
        return Annotations.ROLLBACK + "=" + (value == null ? "" : value) + " is not a value Runway knows for " + image + migrated
                + ": use " + IMAGE + " (put the last healthy image back, leave the data) or " + IMAGE_AND_DATA
                + " (also bring the data back, replacing what is in the database now after a safety backup). Nothing was done.";
    }

    /**
     * The image to put back: status.stableImage while it is not spec.image (a rollout of spec.image
     * under way or rolled back), else the newest revision in the history of another image that became healthy.
     */
    static Optional<String> lastHealthyOther(ApplicationStatus status, String image) {
        if (status == null) {
            return Optional.empty();
        }
        if (status.stableImage != null && !status.stableImage.equals(image)) {
            return Optional.of(status.stableImage);
        }
        return status.history.stream().filter(r -> r.image != null && !r.image.equals(image) && r.healthyAt != null)
                .map(r -> r.image).findFirst();
    }

    /** The Restore of a rollback: at most 40 characters (Restore's limit), one per MigrationJob. */
    static String restoreName(Application app, MigrationJob mj) {
        String suffix = "-rollback-" + Hashes.of(mj.getMetadata().getName(), 8);
        String name = app.getMetadata().getName();
        String prefix = name.length() > 40 - suffix.length() ? name.substring(0, 40 - suffix.length()).replaceAll("[-.]+$", "") : name;
        return prefix + suffix;
    }

    /** The rollback Job of a MigrationJob: the same name its own rollback after a failed migration has. */
    static String jobName(MigrationJob mj) {
        return MigrationNames.rollbackJob(mj);
    }
}
