package dev.runway.operator.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

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

    /** The pod of Job {@code job}, once kwok reports it Running (so kwok will not overwrite what we write). */
    public static Pod runningPodOf(KubernetesClient client, String namespace, String job) {
        return Awaitility.await("a Running pod of Job " + job).atMost(60, TimeUnit.SECONDS).pollInterval(250, TimeUnit.MILLISECONDS)
                .until(() -> podsOf(client, namespace, job).stream()
                        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                        .findFirst().orElse(null), p -> p != null);
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
