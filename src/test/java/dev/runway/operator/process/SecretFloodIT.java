package dev.runway.operator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.OperatorProcess;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/**
 * Issue 18's measurement as a test: 2,000 unrelated Secrets of 48 KiB (Helm-release-sized, in 20
 * namespaces) used to end the packaged operator with the chart's JVM options (-Xmx320m) in an
 * OutOfMemoryError, because three informers cached every value. Now no value is cached
 * (common/SecretCaches): the operator starts, stays up and converges an Application.
 */
@Tag(Tiers.CLUSTER)
class SecretFloodIT extends KubernetesTest {
    static final int NAMESPACES = 20;
    static final int SECRETS = 2_000;
    static final int SIZE = 48 * 1024;

    @Test
    void twoThousandLargeUnrelatedSecretsDoNotExhaustTheHeap() throws Exception {
        List<TestNamespace> namespaces = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 6);
        try {
            for (int i = 0; i < NAMESPACES; i++) {
                namespaces.add(TestNamespace.create(client, "flood-" + i));
            }
            flood(namespaces, run);
            try (TestNamespace ns = TestNamespace.create(client, "flood-app");
                    OperatorProcess operator = OperatorProcess.named("secret-flood").leaseNamespace(ns.name())
                            .property("runway.config-hash.key-namespace", ns.name())
                            .property("kubernetes.connection.timeout", "30000").build()) {
                operator.start().awaitReady(Duration.ofSeconds(180));
                client.resource(new SecretBuilder().withNewMetadata().withName("hello-secrets").endMetadata()
                        .addToStringData("TOKEN", "t").build()).inNamespace(ns.name()).create();
                client.resource(client.getKubernetesSerialization().unmarshal("""
                        apiVersion: runway.dev/v1alpha1
                        kind: Application
                        metadata: {name: hello}
                        spec: {image: "registry.example/hello:1.0", replicas: 1, port: 8080, secretRefs: [hello-secrets]}
                        """, Application.class)).inNamespace(ns.name()).create();
                client.resources(Application.class).inNamespace(ns.name()).withName("hello")
                        .waitUntilCondition(a -> a != null && a.getStatus() != null && a.getStatus().conditions.stream()
                                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 120, TimeUnit.SECONDS);
                assertThat(operator.isAlive()).isTrue();
                assertThat(operator.log()).doesNotContain("Terminating due to java.lang.OutOfMemoryError");
                System.out.printf("SecretFloodIT: %d Secrets of %d KiB; operator RSS %s KiB, heap used %.0f MiB%n", SECRETS, SIZE / 1024,
                        operator.rssKiB().map(String::valueOf).orElse("?"), heapUsedMiB(operator.metrics()));
            }
        } finally {
            namespaces.forEach(TestNamespace::close);
        }
    }

    private static void flood(List<TestNamespace> namespaces, String run) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] payload = new byte[SIZE * 3 / 4];
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < SECRETS; i++) {
                random.nextBytes(payload);
                String value = Base64.getEncoder().encodeToString(payload);
                String ns = namespaces.get(i % namespaces.size()).name();
                String name = "sh.helm.release.v1.flood-" + run + "-" + i;
                writes.add(pool.submit(() -> client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns)
                        .endMetadata().withType("helm.sh/release.v1").addToData("release", value).build()).create()));
            }
            for (Future<?> w : writes) {
                w.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static double heapUsedMiB(String metrics) {
        Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+]+)").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum / (1 << 20);
    }
}
