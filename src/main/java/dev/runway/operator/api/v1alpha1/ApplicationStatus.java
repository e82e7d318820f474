package dev.runway.operator.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What an Application is doing, for humans and for GitOps tools. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApplicationStatus extends RunwayStatus {
    /** The lifecycle phases an SRE sees. */
    public enum Phase { Pending, Migrating, Progressing, AwaitingPromotion, Healthy, Degraded, RolledBack, Failed }

    @JsonPropertyDescription("Pending | Migrating | Progressing | AwaitingPromotion | Healthy | Degraded | RolledBack | Failed.")
    public Phase phase;

    @JsonPropertyDescription("The image the spec asks for.")
    public String image;

    @JsonPropertyDescription("The image serving traffic now.")
    public String stableImage;

    @JsonPropertyDescription("The image on the preview Service (blue-green), when one is waiting.")
    public String previewImage;

    @JsonPropertyDescription("Ready pods over desired pods, e.g. 3/3.")
    public String ready;

    @JsonPropertyDescription("Canary: where the new revision is in spec.strategy.canary.steps; unset when no canary is under way.")
    public CanaryProgress canary;

    @JsonPropertyDescription("Pod counts.")
    public Replicas replicas;

    @JsonPropertyDescription("Where the app is reached: the Ingress URL, else the Service's cluster DNS name.")
    public String url;

    @JsonPropertyDescription("Hash of the effective environment and referenced Secrets' data; it is on the pod template, so a change rolls the pods.")
    public String configHash;

    @JsonPropertyDescription("The MigrationJob of the current image.")
    public MigrationRef migration;

    @JsonPropertyDescription("When the pods were last restarted through the runway.dev/restart annotation (RFC 3339).")
    public String restartedAt;

    @JsonPropertyDescription("A revision that failed and was rolled back automatically; it is not retried until spec.image or the configuration changes.")
    public FailedRevision failedRevision;

    @JsonPropertyDescription("The pod template paths where spec.podTemplate replaced a value Runway set, e.g. "
            + "spec.containers[app].securityContext.readOnlyRootFilesystem (at most 20 listed). Absent when it replaces none.")
    public List<String> podTemplateOverrides;

    @JsonPropertyDescription("The last 10 revisions, newest first.")
    public List<Revision> history = new ArrayList<>();

    @io.fabric8.generator.annotation.Size(max = 20)
    @JsonPropertyDescription("Promotion evidence, newest first (at most 20): each image digest the pods ran healthy (their imageID), from when to when. "
            + "An Environment whose spec.promotion.from names this Application's Environment admits an image by it. Signed by the operator: "
            + "an entry edited by hand does not count.")
    public List<Evidence> evidence;

    @JsonPropertyDescription("Set while a succeeded Restore switches this Application to a restored database (Restore spec.switchApplication): the Restore, the database and whether the pods read it.")
    public RestoredData restoredData;

    /** A canary's step, as Argo Rollouts reports it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class CanaryProgress {
        @JsonPropertyDescription("The image of the canary revision.")
        public String image;
        @JsonPropertyDescription("Steps done (Argo's currentStepIndex): 0 before the first, steps when all are.")
        public Integer step;
        @JsonPropertyDescription("Steps in spec.strategy.canary.steps (plus the approval pause the Environment adds, if any).")
        public Integer steps;
        @JsonPropertyDescription("Percent of the pods on the canary revision at this step.")
        public Integer weight;
        @JsonPropertyDescription("The step under way, e.g. 'pause until runway.dev/promote', 'setWeight 20', 'analysis'.")
        public String current;
    }

    /** An image digest that ran healthy here, signed by the operator. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Evidence {
        @JsonPropertyDescription("The image as spec.image named it.")
        public String image;
        @JsonPropertyDescription("The image ID the pods' container statuses reported (the digest that ran).")
        public String digest;
        @JsonPropertyDescription("When the operator first saw it serve healthy (RFC 3339).")
        public String healthyAt;
        @JsonPropertyDescription("When it stopped serving here (replaced, or another digest under the same tag), RFC 3339; unset while it serves.")
        public String retiredAt;
        @JsonPropertyDescription("It stopped serving because it failed here: it is no evidence.")
        public Boolean failed;
        @JsonPropertyDescription("The operator's keyed signature over the entry and the Application's uid.")
        public String signature;
    }

    /** Pod counts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Replicas {
        public Integer desired;
        public Integer ready;
        public Integer updated;
    }

    /** A MigrationJob and its phase. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MigrationRef {
        public String name;
        public String phase;
    }

    /** A revision that failed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class FailedRevision {
        public String image;
        public String configHash;
        public String reason;
        public String failedAt;
    }

    /** One revision that was rolled out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Revision {
        @JsonPropertyDescription("Increasing revision number.")
        public Long revision;
        public String image;
        public String configHash;
        @JsonPropertyDescription("When the rollout of this revision started (RFC 3339).")
        public String deployedAt;
        @JsonPropertyDescription("When it became healthy (RFC 3339).")
        public String healthyAt;
        @JsonPropertyDescription("Progressing | Promoted | Aborted | RolledBack | Superseded | Failed.")
        public String outcome;
    }

    /** A Restore's switch of this Application to a restored database. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RestoredData {
        @JsonPropertyDescription("The Restore whose database the Application reads (the newest succeeded one naming it).")
        public String restore;
        @JsonPropertyDescription("The restored database.")
        public String database;
        @JsonPropertyDescription("The database Secret whose key database is overridden.")
        public String secret;
        @JsonPropertyDescription("The ConfigMap added to the containers' envFrom right after that Secret.")
        public String configMap;
        @JsonPropertyDescription("True when the pod template reads the restored database; false when the switch cannot apply (see message).")
        public Boolean applied;
        @JsonPropertyDescription("What the switch did, or why it cannot apply, and how to undo it.")
        public String message;
    }

    @JsonPropertyDescription("The last runway.dev/rollback: what was rolled back to which image, what happened to the data, and the one outcome.")
    public Rollback rollback;

    /** What runway.dev/rollback did (application/RollbackLever). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Rollback {
        @JsonPropertyDescription("When the operator acted on the annotation (RFC 3339).")
        public String requestedAt;
        @JsonPropertyDescription("The annotation's value: image (the image only) or image-and-data (also the data, in place).")
        public String requested;
        @JsonPropertyDescription("The revision rolled back: its image ...")
        public String image;
        @JsonPropertyDescription("... and its configuration hash (status.failedRevision holds both until spec.image or the configuration changes).")
        public String configHash;
        @JsonPropertyDescription("The earlier healthy image put back.")
        public String toImage;
        @JsonPropertyDescription("What happened to the data the rolled-back revision's migration changed.")
        public RollbackData data;
        @JsonPropertyDescription("InProgress | Succeeded (image serving and data back, or nothing to do for the data) | Failed.")
        public String outcome;
        @JsonPropertyDescription("The outcome in words, with what to do on a failure.")
        public String message;
    }

    /** The data part of a rollback. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RollbackData {
        @JsonPropertyDescription("Command (the MigrationJob's rollback command, as a Job) | Restore (its pinned pre-migration backup, in place) | None.")
        public String method;
        @JsonPropertyDescription("The MigrationJob of the rolled-back image.")
        public String migrationJob;
        @JsonPropertyDescription("With Command: the rollback Job (created once, owned by the MigrationJob).")
        public String job;
        @JsonPropertyDescription("With Restore: the Restore (created once, owned by this Application; its status has the rows and tables restored).")
        public String restore;
        @JsonPropertyDescription("With Restore: the pinned safety backup of the data that was replaced (restore it to undo).")
        public String safetyBackup;
        @JsonPropertyDescription("Pending | Running | Succeeded | Failed; absent with None.")
        public String phase;
        @JsonPropertyDescription("Why the data was left as it is (None), or what failed.")
        public String message;
    }
}
