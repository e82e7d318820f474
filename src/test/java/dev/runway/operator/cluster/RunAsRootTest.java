package dev.runway.operator.cluster;

import static dev.runway.operator.cluster.EnvironmentFixtures.awaitApplicationReady;
import static dev.runway.operator.cluster.EnvironmentFixtures.awaitReady;
import static dev.runway.operator.cluster.EnvironmentFixtures.client;
import static dev.runway.operator.cluster.EnvironmentFixtures.editEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.Tiers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An image that must run as root (seed 004's nginx on port 80) where the Environment's Pod
 * Security does not allow it: the Application is Stalled with a condition and a Warning event
 * naming spec.securityContext.runAsRoot and the Environment's spec.isolation.podSecurity, and
 * nothing is rolled out; once the Environment allows baseline, it runs.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class RunAsRootTest extends EnvironmentClusterTest {

    @Test
    void refusedUnderRestrictedWithBothFieldsNamedThenRunsUnderBaseline() {
        String name = unique("root");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Production}
                """.formatted(name)));
        client.resource(ClusterTestSupport.applicationFromYaml(client, name, """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: storefront}
                spec:
                  image: example.com/nginx:alpine
                  port: 80
                  replicas: 1
                  securityContext: {runAsRoot: true, readOnlyRootFilesystem: false}
                """)).create();
        Application stalled = client.resources(Application.class).inNamespace(name).withName("storefront").waitUntilCondition(a -> a != null
                && a.getStatus() != null && ConditionFactory.isTrue(a.getStatus().conditions, ConditionFactory.STALLED), 60, TimeUnit.SECONDS);
        var ready = ConditionFactory.find(stalled.getStatus().conditions, ConditionFactory.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("PodSecurityForbids");
        assertThat(ready.getMessage()).contains("spec.securityContext.runAsRoot", "spec.isolation.podSecurity", "Environment " + name);
        assertThat(ClusterTestSupport.events(client, name, "storefront", "PodSecurityForbids"))
                .as("a Warning event").isNotEmpty().allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
        assertThat(client.apps().deployments().inNamespace(name).withName("storefront").get()).as("nothing rolled out").isNull();

        awaitReady(editEnvironment(name, e -> {
            e.getSpec().isolation = new EnvironmentSpec.Isolation();
            e.getSpec().isolation.podSecurity = EnvironmentSpec.Isolation.PodSecurity.baseline;
            return e;
        }));
        awaitApplicationReady(name, "storefront", a -> true);
        var pod = client.pods().inNamespace(name).withLabel("app.kubernetes.io/instance", "storefront").list().getItems();
        assertThat(pod).as("the pod is admitted under baseline").isNotEmpty();
        assertThat(pod.get(0).getSpec().getSecurityContext().getRunAsNonRoot()).isNull();
    }

    /** spec.podTemplate can bring in what restricted forbids: refused the same way, naming the template's field. */
    @Test
    void aPodTemplateThatRestrictedForbidsIsRefusedNamingItsField() {
        String name = unique("hatch");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Production}
                """.formatted(name)));
        client.resource(ClusterTestSupport.applicationFromYaml(client, name, """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: sniffer}
                spec:
                  image: example.com/sniffer:1
                  replicas: 1
                  podTemplate:
                    spec:
                      containers: [{name: app, securityContext: {capabilities: {add: [NET_ADMIN]}}}]
                """)).create();
        Application stalled = client.resources(Application.class).inNamespace(name).withName("sniffer").waitUntilCondition(a -> a != null
                && a.getStatus() != null && ConditionFactory.isTrue(a.getStatus().conditions, ConditionFactory.STALLED), 60, TimeUnit.SECONDS);
        var ready = ConditionFactory.find(stalled.getStatus().conditions, ConditionFactory.READY).orElseThrow();
        assertThat(ready.getReason()).isEqualTo("PodSecurityForbids");
        assertThat(ready.getMessage()).contains("spec.podTemplate.spec.containers[app].securityContext.capabilities.add: NET_ADMIN",
                "spec.isolation.podSecurity", "Environment " + name);
        assertThat(client.apps().deployments().inNamespace(name).withName("sniffer").get()).as("nothing rolled out").isNull();

        awaitReady(editEnvironment(name, e -> {
            e.getSpec().isolation = new EnvironmentSpec.Isolation();
            e.getSpec().isolation.podSecurity = EnvironmentSpec.Isolation.PodSecurity.privileged;
            e.getSpec().isolation.allowPodSecurityDowngrade = true;
            return e;
        }));
        awaitApplicationReady(name, "sniffer", a -> true);
    }
}
