package dev.runway.operator.backup;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * One user of a policy's backup volume at a time. Every Job that mounts the volume (scheduled and
 * on-demand backups, verifications, pre-migration and safety backups, restores) carries the
 * policy's label; the operator creates one of its own Jobs only when no other Job of the policy is
 * still running. Jobs the CronJobs start are not the operator's to hold back: the scripts
 * themselves wait for each other on a lock file on the volume (lib.sh runway_lock). Pure.
 */
public final class VolumeUsers {
    private VolumeUsers() {
    }

    /** The oldest still-running Job among {@code policyJobs}, other than those named in {@code mine}. */
    public static Optional<Job> busy(Collection<Job> policyJobs, Set<String> mine) {
        return policyJobs.stream()
                .filter(j -> !mine.contains(j.getMetadata().getName()))
                .filter(VolumeUsers::running)
                .min(Comparator.comparing((Job j) -> String.valueOf(j.getMetadata().getCreationTimestamp()))
                        .thenComparing(j -> j.getMetadata().getName()));
    }

    /** A Job that has neither finished nor been deleted: its pod may hold the volume. */
    public static boolean running(Job job) {
        if (job.getMetadata().getDeletionTimestamp() != null) {
            // Being deleted: its pod may still run, but nothing will start a new one.
            return job.getStatus() != null && job.getStatus().getActive() != null && job.getStatus().getActive() > 0;
        }
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return true;
        }
        return job.getStatus().getConditions().stream()
                .noneMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
    }

    /** The sentence a waiting object's status gives. */
    public static String waitingFor(Job job, String policy) {
        return "waiting for Job " + job.getMetadata().getName() + " of BackupPolicy " + policy
                + " to finish: one Job at a time uses the backup volume";
    }
}
