package dev.runway.operator.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Ends the containers of Job pods as a kubelet would. On the local control plane kwok reports Job
 * pods Running and leaves them so; a test decides how they end: it writes the terminated state,
 * exit code and termination message through the pods' status subresource, and the Job controller
 * then completes or fails the Job.
 */
public final class FakeKubelet {
    private FakeKubelet() {
    }

    /**
     * The pod of Job {@code job}, once kwok reports it Running (so kwok will not overwrite what we write). When
     * none runs in time, the failure says what the Job, its pods, the namespace's claims and its newest events
     * showed, so a slow scheduler, an unbound claim or a Job that made no pod can be told apart.
     */
    public static Pod runningPodOf(KubernetesClient client, String namespace, String job) {
        try {
            return Awaitility.await("a Running pod of Job " + job).atMost(120, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                    .until(() -> podsOf(client, namespace, job).stream()
                            .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                            .findFirst().orElse(null), p -> p != null);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no Running pod of Job " + job + " in " + namespace + " within 120 s; " + describe(client, namespace, job), e);
        }
    }

    private static String describe(KubernetesClient client, String namespace, String job) {
        StringBuilder out = new StringBuilder();
        var j = client.batch().v1().jobs().inNamespace(namespace).withName(job).get();
        out.append("Job: ").append(j == null ? "absent" : "suspend=" + j.getSpec().getSuspend() + " status=" + j.getStatus());
        for (Pod p : podsOf(client, namespace, job)) {
            out.append("; pod ").append(p.getMetadata().getName()).append(" node=").append(p.getSpec().getNodeName())
                    .append(" status=").append(p.getStatus() == null ? null : p.getStatus().getPhase() + " " + p.getStatus().getConditions());
        }
        client.persistentVolumeClaims().inNamespace(namespace).list().getItems().forEach(c -> out.append("; claim ")
                .append(c.getMetadata().getName()).append(" class=").append(c.getSpec().getStorageClassName())
                .append(" volume=").append(c.getSpec().getVolumeName()).append(" phase=").append(c.getStatus() == null ? null : c.getStatus().getPhase()));
        client.v1().events().inNamespace(namespace).list().getItems().stream()
                .sorted(java.util.Comparator.comparing((io.fabric8.kubernetes.api.model.Event e) -> String.valueOf(e.getLastTimestamp())).reversed())
                .limit(10).forEach(e -> out.append("; event ").append(e.getInvolvedObject().getKind()).append('/')
                        .append(e.getInvolvedObject().getName()).append(' ').append(e.getReason()).append(": ").append(e.getMessage()));
        return out.toString();
    }

    public static List<Pod> podsOf(KubernetesClient client, String namespace, String job) {
        return client.pods().inNamespace(namespace).withLabel("batch.kubernetes.io/job-name", job).list().getItems();
    }

    /** Terminates the first container of Job {@code job}'s pod with {@code exitCode} and {@code message}. */
    public static Pod finish(KubernetesClient client, String namespace, String job, int exitCode, String message) {
        Pod pod = runningPodOf(client, namespace, job);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
            p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()) || "ContainersReady".equals(c.getType()))
                    .forEach(c -> {
                        c.setStatus("False");
                        c.setReason("PodCompleted");
                        c.setLastTransitionTime(now);
                    });
            var container = p.getStatus().getContainerStatuses().get(0);
            String startedAt = container.getState() != null && container.getState().getRunning() != null
                    ? container.getState().getRunning().getStartedAt() : now;
            container.setReady(false);
            container.setStarted(false);
            container.setState(new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error").withMessage(message)
                    .withStartedAt(startedAt).withFinishedAt(now)
                    .endTerminated().build());
            return p;
        });
    }
}
