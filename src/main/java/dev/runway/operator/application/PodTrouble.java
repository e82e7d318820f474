package dev.runway.operator.application;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/**
 * Why the pods of a rollout that does not become available are not available, in the kubelet's
 * and the scheduler's own words: a crash loop with its exit code, an image that cannot be pulled, a
 * container the kubelet refuses to start (e.g. a root image under runAsNonRoot), an OOM kill, a
 * failing readiness probe, a pod that cannot be scheduled. Read from the pods only while a rollout
 * waits, so an SRE sees the cause and the remedy in the Application's status instead of "0 available".
 *
 * @param reason  the condition reason (the kubelet's, where it has one)
 * @param message cause and remedy, naming the pod
 */
record PodTrouble(String reason, String message) {
    static final String NOT_READY = "ReadinessProbeFailing";
    static final String UNSCHEDULABLE = "Unschedulable";
    static final String OOM_KILLED = "OOMKilled";
    private static final Set<String> PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    private static final Set<String> REFUSED = Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");
    /** Every reason this class gives; a new one of these is worth a Warning event. */
    static final Set<String> REASONS = Set.of("CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError", OOM_KILLED,
            NOT_READY, UNSCHEDULABLE, WorkloadTrouble.QUOTA_EXCEEDED, WorkloadTrouble.FAILED_CREATE, WorkloadTrouble.NOT_OBSERVED);

    /** The most telling trouble among the pods that run {@code image} (the revision rolling out). */
    static Optional<PodTrouble> of(List<Pod> pods, String image, java.time.Instant now) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> image == null || p.getSpec().getContainers().stream().anyMatch(c -> image.equals(c.getImage())))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(p -> of(p, now))
                .flatMap(Optional::stream)
                .min(Comparator.comparingInt(PodTrouble::rank));
    }

    static Optional<PodTrouble> of(Pod pod, java.time.Instant now) {
        String name = pod.getMetadata().getName();
        String ns = pod.getMetadata().getNamespace();
        var status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        for (PodCondition c : status.getConditions() == null ? List.<PodCondition>of() : status.getConditions()) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && UNSCHEDULABLE.equals(c.getReason())) {
                return Optional.of(new PodTrouble(UNSCHEDULABLE, "pod " + name + " cannot be scheduled: " + c.getMessage()
                        + ". Free capacity, or lower spec.resources / spec.replicas."));
            }
        }
        List<ContainerStatus> containers = new java.util.ArrayList<>();
        if (status.getInitContainerStatuses() != null) {
            containers.addAll(status.getInitContainerStatuses());
        }
        if (status.getContainerStatuses() != null) {
            containers.addAll(status.getContainerStatuses());
        }
        for (ContainerStatus c : containers) {
            var waiting = c.getState() == null ? null : c.getState().getWaiting();
            var last = c.getLastState() == null ? null : c.getLastState().getTerminated();
            String container = "container " + c.getName() + " of pod " + name;
            if (waiting != null && "CrashLoopBackOff".equals(waiting.getReason())) {
                if (last != null && OOM_KILLED.equals(last.getReason())) {
                    return Optional.of(oomKilled(container, c));
                }
                String exit = last == null ? "" : ", last exit code " + last.getExitCode()
                        + (last.getReason() == null ? "" : " (" + last.getReason() + ")");
                return Optional.of(new PodTrouble("CrashLoopBackOff", container + " keeps crashing (" + c.getRestartCount()
                        + " restarts" + exit + "). Its output: kubectl logs -n " + ns + " " + name + " -c " + c.getName() + " --previous"));
            }
            if (waiting != null && PULL.contains(waiting.getReason())) {
                return Optional.of(new PodTrouble(waiting.getReason(), "pod " + name + " cannot pull image " + c.getImage() + ": "
                        + nonBlank(waiting.getMessage(), waiting.getReason())
                        + ". Check the image's name and tag and the registry's credentials."));
            }
            if (waiting != null && REFUSED.contains(waiting.getReason())) {
                return Optional.of(new PodTrouble(waiting.getReason(), "the kubelet does not start " + container + ": "
                        + nonBlank(waiting.getMessage(), waiting.getReason()) + hint(waiting.getMessage())));
            }
            if (last != null && OOM_KILLED.equals(last.getReason()) && !Boolean.TRUE.equals(c.getReady())) {
                return Optional.of(oomKilled(container, c));
            }
            boolean running = c.getState() != null && c.getState().getRunning() != null;
            if (running && !Boolean.TRUE.equals(c.getReady()) && startedLongEnough(c, now)) {
                return Optional.of(new PodTrouble(NOT_READY, container + " runs but fails its readiness probe, so its Service "
                        + "sends it no traffic; the probe's answers: kubectl describe pod -n " + ns + " " + name));
            }
        }
        return Optional.empty();
    }

    private static PodTrouble oomKilled(String container, ContainerStatus c) {
        return new PodTrouble(OOM_KILLED, container + " was killed for using more memory than its limit (OOMKilled, "
                + c.getRestartCount() + " restarts). Raise spec.resources.limits.memory or lower the app's use.");
    }

    /** What a kubelet refusal usually asks of the image or the spec. */
    private static String hint(String message) {
        if (message == null) {
            return "";
        }
        if (message.contains("runAsNonRoot")) {
            return ". Runway runs containers as non-root under the restricted Pod Security profile: use an image whose USER"
                    + " is a numeric non-root UID.";
        }
        if (message.contains("secret") || message.contains("configmap")) {
            return ". Create the object it names, or fix the reference in the spec.";
        }
        return "";
    }

    /** A probe gets its first chances before a not-ready container counts as trouble. */
    private static boolean startedLongEnough(ContainerStatus c, java.time.Instant now) {
        var running = c.getState().getRunning();
        if (running.getStartedAt() == null) {
            return false;
        }
        try {
            return java.time.Instant.parse(running.getStartedAt()).isBefore(now.minusSeconds(20));
        } catch (java.time.format.DateTimeParseException e) {
            return true;
        }
    }

    private static String nonBlank(String s, String otherwise) {
        return s == null || s.isBlank() ? otherwise : s;
    }

    /** Lower is more telling: a pod that cannot start at all before one that starts and is not ready. */
    private int rank() {
        return switch (reason) {
            case "CrashLoopBackOff", OOM_KILLED -> 0;
            case NOT_READY -> 3;
            case UNSCHEDULABLE -> 2;
            default -> 1;
        };
    }
}
