package dev.runway.operator.migration;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.runway.operator.backup.TerminationMessages;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/**
 * How one Job (and its pods) ended, read from what the informers hold. The Job's own Complete or
 * Failed condition decides; the message is the last failing container's termination message (the
 * container writes it, or Kubernetes keeps its log tail: FallbackToLogsOnError), else the Job's reason.
 */
public record JobOutcome(State state, String message, int attempts) {
    public enum State { ABSENT, RUNNING, SUCCEEDED, FAILED }

    public static final JobOutcome ABSENT = new JobOutcome(State.ABSENT, null, 0);
    /** The label Kubernetes puts on a Job's pods. */
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";

    public static JobOutcome of(Optional<Job> job, List<Pod> pods, String container) {
        if (job.isEmpty()) {
            return ABSENT;
        }
        var status = job.get().getStatus();
        int attempts = status == null ? 0 : count(status.getActive()) + count(status.getFailed()) + count(status.getSucceeded());
        if (isTrue(job.get(), "Complete")) {
            return new JobOutcome(State.SUCCEEDED, null, attempts);
        }
        if (isTrue(job.get(), "Failed")) {
            String message = lastFailure(pods, container).orElseGet(() -> condition(job.get(), "Failed")
                    .map(c -> c.getReason() + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + c.getMessage()))
                    .orElse("the Job failed"));
            return new JobOutcome(State.FAILED, TerminationMessages.shorten(message), attempts);
        }
        return new JobOutcome(State.RUNNING, null, attempts);
    }

    /** The pods of Job {@code job} among {@code pods} (by the job-name label, new or old spelling). */
    public static List<Pod> podsOf(List<Pod> pods, String job) {
        return pods.stream().filter(p -> p.getMetadata().getLabels() != null && (job.equals(p.getMetadata().getLabels().get(JOB_NAME_LABEL))
                || job.equals(p.getMetadata().getLabels().get("job-name")))).toList();
    }

    /** The newest terminated {@code container} of the pods, if any ended. */
    public static Optional<ContainerStateTerminated> lastTerminated(List<Pod> pods, String container) {
        return pods.stream()
                .flatMap(p -> p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? java.util.stream.Stream.empty()
                        : p.getStatus().getContainerStatuses().stream())
                .filter(c -> container.equals(c.getName()) && c.getState() != null && c.getState().getTerminated() != null)
                .map(c -> c.getState().getTerminated())
                .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()));
    }

    private static Optional<String> lastFailure(List<Pod> pods, String container) {
        return pods.stream()
                .flatMap(p -> p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? java.util.stream.Stream.empty()
                        : p.getStatus().getContainerStatuses().stream())
                .filter(c -> container.equals(c.getName()) && c.getState() != null && c.getState().getTerminated() != null
                        && c.getState().getTerminated().getExitCode() != null && c.getState().getTerminated().getExitCode() != 0)
                .map(c -> c.getState().getTerminated())
                .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()))
                .map(t -> t.getMessage() != null && !t.getMessage().isBlank() ? t.getMessage()
                        : "container " + container + " exited with code " + t.getExitCode() + (t.getReason() == null ? "" : " (" + t.getReason() + ")"));
    }

    static boolean isTrue(Job job, String type) {
        return condition(job, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static int count(Integer n) {
        return n == null ? 0 : n;
    }
}
