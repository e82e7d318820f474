package dev.runway.operator.backup;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.runway.operator.common.Times;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus.BackupInfo;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus.Failure;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus.VerificationInfo;
import dev.runway.operator.backup.TerminationMessages.BackupReport;
import dev.runway.operator.backup.TerminationMessages.VerificationReport;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/**
 * What the finished backup and verification pods (and Jobs) of one policy report, newest first.
 * Pure: reads the objects the informers hold. A pod's terminated container and termination message
 * say most; a Job that failed without a pod telling why (deadline exceeded, pod never started)
 * counts as a failure with the Job's own reason.
 */
public final class BackupResults {
    private static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    private static final String LEGACY_JOB_NAME_LABEL = "job-name";

    private BackupResults() {
    }

    /** A successful backup and the number of backups on storage it reported. */
    public record Success(BackupInfo info, Integer backups, List<TerminationMessages.Pin> pins) {
    }

    /** The newest of each kind of result found; empty where there is none. */
    public record Observed(Optional<Success> success, Optional<Failure> failure, Optional<VerificationInfo> verification) {
        public static final Observed NONE = new Observed(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static Observed observe(Collection<Job> jobs, Collection<Pod> pods) {
        Optional<Success> success = Optional.empty();
        Optional<Failure> failure = Optional.empty();
        Optional<VerificationInfo> verification = Optional.empty();
        Set<String> jobsWithResult = new HashSet<>();
        for (Pod pod : pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            String component = label(pod.getMetadata().getLabels(), Labels.COMPONENT);
            Optional<ContainerStateTerminated> terminated = terminated(pod, BackupNames.VERIFY.equals(component)
                    ? BackupJobs.VERIFY_CONTAINER : BackupJobs.BACKUP_CONTAINER);
            if (terminated.isEmpty()) {
                continue;
            }
            String job = jobName(pod);
            ContainerStateTerminated t = terminated.get();
            String finishedAt = TerminationMessages.normalize(t.getFinishedAt());
            if (finishedAt == null) {
                finishedAt = TerminationMessages.normalize(pod.getMetadata().getCreationTimestamp());
            }
            jobsWithResult.add(job);
            if (BackupNames.VERIFY.equals(component)) {
                verification = newer(verification, Optional.of(verification(job, t, finishedAt)), v -> v.completedAt);
            } else if (BackupNames.BACKUP.equals(component)) {
                Optional<BackupReport> report = TerminationMessages.backup(t.getMessage());
                boolean succeeded = Integer.valueOf(0).equals(t.getExitCode()) && report.map(BackupReport::succeeded).orElse(true);
                if (succeeded) {
                    success = newer(success, Optional.of(success(job, report, finishedAt)), s -> s.info().completedAt);
                } else {
                    failure = newer(failure, Optional.of(failure(job, t, report, finishedAt)), f -> f.failedAt);
                }
            }
        }
        for (Job job : jobs) {
            String name = job.getMetadata().getName();
            Optional<JobCondition> failed = failedCondition(job);
            if (failed.isEmpty() || jobsWithResult.contains(name)) {
                continue;
            }
            String failedAt = TerminationMessages.normalize(failed.get().getLastTransitionTime());
            String why = "Job " + name + " failed (" + failed.get().getReason() + ")"
                    + (failed.get().getMessage() == null ? "" : ": " + failed.get().getMessage()) + " before its pod reported a result";
            String component = label(job.getMetadata().getLabels(), Labels.COMPONENT);
            if (BackupNames.VERIFY.equals(component)) {
                VerificationInfo v = new VerificationInfo();
                v.job = name;
                v.completedAt = failedAt;
                v.result = "Failed";
                v.message = TerminationMessages.shorten(why);
                verification = newer(verification, Optional.of(v), x -> x.completedAt);
            } else if (BackupNames.BACKUP.equals(component)) {
                Failure f = new Failure();
                f.job = name;
                f.failedAt = failedAt;
                f.message = TerminationMessages.shorten(why);
                failure = newer(failure, Optional.of(f), x -> x.failedAt);
            }
        }
        return new Observed(success, failure, verification);
    }

    private static Success success(String job, Optional<BackupReport> report, String finishedAt) {
        BackupInfo info = new BackupInfo();
        info.job = job;
        info.completedAt = report.map(BackupReport::completedAt).orElse(finishedAt);
        report.ifPresent(r -> {
            info.name = r.name();
            info.sizeBytes = r.sizeBytes();
            info.sha256 = r.sha256();
            info.durationSeconds = r.durationSeconds();
            info.pinned = r.pinned();
        });
        return new Success(info, report.map(BackupReport::backups).orElse(null), report.map(BackupReport::pins).orElse(null));
    }

    private static Failure failure(String job, ContainerStateTerminated t, Optional<BackupReport> report, String finishedAt) {
        Failure f = new Failure();
        f.job = job;
        f.failedAt = finishedAt;
        f.message = report.map(BackupReport::message)
                .or(() -> Optional.ofNullable(TerminationMessages.shorten(t.getMessage())).filter(m -> !m.isEmpty()))
                .orElse("backup container exited with code " + t.getExitCode() + (t.getReason() == null ? "" : " (" + t.getReason() + ")"));
        return f;
    }

    private static VerificationInfo verification(String job, ContainerStateTerminated t, String finishedAt) {
        Optional<VerificationReport> report = TerminationMessages.verification(t.getMessage());
        boolean passed = Integer.valueOf(0).equals(t.getExitCode()) && report.map(VerificationReport::passed).orElse(true);
        VerificationInfo v = new VerificationInfo();
        v.job = job;
        v.result = passed ? "Passed" : "Failed";
        v.completedAt = report.map(VerificationReport::completedAt).orElse(finishedAt);
        v.backup = report.map(VerificationReport::backup).orElse(null);
        v.tables = report.map(VerificationReport::tables).orElse(null);
        v.rows = report.map(VerificationReport::rows).orElse(null);
        v.dumpedRows = report.map(VerificationReport::dumpedRows).orElse(null);
        v.durationSeconds = report.map(VerificationReport::durationSeconds).orElse(null);
        if (!passed) {
            v.message = report.map(VerificationReport::message)
                    .or(() -> Optional.ofNullable(TerminationMessages.shorten(t.getMessage())).filter(m -> !m.isEmpty()))
                    .orElse("verify container exited with code " + t.getExitCode());
        }
        return v;
    }

    private static Optional<ContainerStateTerminated> terminated(Pod pod, String container) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        return statuses.stream().filter(s -> container.equals(s.getName())).findFirst()
                .or(() -> statuses.stream().findFirst())
                .map(s -> s.getState() == null ? null : s.getState().getTerminated());
    }

    private static Optional<JobCondition> failedCondition(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }

    private static String jobName(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String name = label(labels, JOB_NAME_LABEL);
        if (name == null) {
            name = label(labels, LEGACY_JOB_NAME_LABEL);
        }
        if (name == null && pod.getMetadata().getOwnerReferences() != null) {
            name = pod.getMetadata().getOwnerReferences().stream().filter(o -> "Job".equals(o.getKind()))
                    .map(o -> o.getName()).findFirst().orElse(null);
        }
        return name == null ? pod.getMetadata().getName() : name;
    }

    private static String label(Map<String, String> labels, String key) {
        return labels == null ? null : labels.get(key);
    }

    /** The later of two results by their RFC 3339 time; {@code a} on a tie, so what is known already wins. */
    static <T> Optional<T> newer(Optional<T> a, Optional<T> b, java.util.function.Function<T, String> time) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return Times.compare(time.apply(b.get()), time.apply(a.get())) > 0 ? b : a;
    }
}
