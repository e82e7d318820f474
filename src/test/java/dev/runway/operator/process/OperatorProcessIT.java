package dev.runway.operator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

/**
 * The packaged jar runs as the chart runs it (prod profile, leader election, JSON logs), converges
 * an Application, and its writes are attributed to it in the audit log by its User-Agent.
 */
@Tag(Tiers.CLUSTER)
class OperatorProcessIT extends KubernetesTest {

    @Test
    void thePackagedOperatorConvergesIsSeenInTheAuditLogAndStopsOnSigterm() throws Exception {
        AuditLog audit = AuditLog.ofTestCluster();
        try (TestNamespace ns = TestNamespace.create(client, "op-process");
                OperatorProcess operator = OperatorProcess.named("process-it").leaseNamespace(ns.name()).build()) {
            AuditLog.Mark before = audit.mark();
            operator.start().awaitReady(Duration.ofSeconds(90));

            client.resource(client.getKubernetesSerialization().unmarshal("""
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: hello}
                    spec: {image: "registry.example/hello:1.0", replicas: 1, port: 8080}
                    """, Application.class)).inNamespace(ns.name()).create();
            Application ready = client.resources(Application.class).inNamespace(ns.name()).withName("hello")
                    .waitUntilCondition(a -> a != null && a.getStatus() != null && a.getStatus().conditions.stream()
                            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 90, TimeUnit.SECONDS);
            assertThat(ready.getStatus().observedGeneration).isEqualTo(ready.getMetadata().getGeneration());
            assertThat(client.resources(Deployment.class).inNamespace(ns.name()).withName("hello").get()).isNotNull();

            List<AuditLog.Entry> writes = audit.writesBy(before, operator);
            assertThat(writes).extracting(AuditLog.Entry::resource).contains("deployments", "applications");
            // The audit policy leaves Lease renewals out; the Lease itself names the leader.
            Lease lease = client.leases().inNamespace(ns.name()).withName("runway-operator-lock").get();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
            // Accepted Deployment writes are this test's. An earlier test's namespace may still be
            // terminating with its Applications in it: the operator reconciles them too, and the
            // API server refuses those writes (403 terminating, 404 gone), as CI once saw.
            assertThat(writes).filteredOn(e -> e.resource().equals("deployments") && e.code() < 400)
                    .isNotEmpty().allSatisfy(e -> assertThat(e.namespace()).isEqualTo(ns.name()));
            assertThat(operator.rssKiB()).hasValueSatisfying(kib -> assertThat(kib).isPositive());
            // JOSDK's reconcile metrics in the prod jar (its default provider used to hand over a no-op).
            assertThat(operator.metrics()).containsPattern("operator_sdk_reconciliations_started_total\\{[^}]*\\} [1-9]");

            // SIGTERM, as the kubelet stops a pod: the leader releases nothing by exiting itself in
            // the middle of the shutdown (that used to hang the JVM until SIGKILL).
            assertThat(operator.terminate(Duration.ofSeconds(30))).as("exit code after SIGTERM").isPresent();
            assertThat(operator.isAlive()).isFalse();
            assertThat(operator.health("ready")).isEqualTo(-1);
            assertThat(operator.log()).contains("runway-operator stopped in");
        }
    }
}
