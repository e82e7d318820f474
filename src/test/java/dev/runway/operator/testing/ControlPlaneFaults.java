package dev.runway.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Faults injected into the local control plane through {@code hack/cluster.sh}: the API server
 * stopped and started again on the same etcd, and etcd's history compacted (older watches then
 * get 410 Gone). Only for the local control plane the tests started or were pointed at.
 */
public final class ControlPlaneFaults {
    private ControlPlaneFaults() {
    }

    public static void stopApiServer() {
        clusterSh("stop-component", "kube-apiserver");
    }

    /** Starts the API server again and waits until it answers /readyz. */
    public static void startApiServer() {
        clusterSh("start-component", "kube-apiserver");
    }

    /** (Re)installs the Runway, Argo Rollouts and Prometheus Operator CRDs (after a test took some away). */
    public static void installCrds() {
        clusterSh("crds");
    }

    /** Compacts etcd to its current revision. */
    public static String compactEtcd() {
        return clusterSh("compact-etcd");
    }

    private static String clusterSh(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = LocalControlPlane.repoRoot().resolve("hack/cluster.sh").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            // cluster.sh reads RUNWAY_CLUSTER_DIR and RUNWAY_PORT_BASE from the environment, as the tests' own start did.
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
