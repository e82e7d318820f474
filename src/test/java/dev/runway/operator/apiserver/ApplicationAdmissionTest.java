package dev.runway.operator.apiserver;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Bad Application specs are rejected at admission, with a message that names the field. */
@Tag(Tiers.APISERVER)
class ApplicationAdmissionTest {
    static KubernetesClient client;
    static TestNamespace namespace;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
        namespace = TestNamespace.create(client, "admission-app");
    }

    @AfterAll
    static void close() {
        namespace.close();
        client.close();
    }

    static AdmissionCase app(String name, String spec, String field, String message) {
        return new AdmissionCase(name, """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: bad}
                spec:
                """ + spec.indent(2), field, message);
    }

    static Stream<AdmissionCase> cases() {
        return List.of(
                app("missing image", "port: 8080", "spec.image", "Required value"),
                app("empty image", "image: ''", "spec.image", "should be at least 1 chars long"),
                app("whitespace in image", "image: 'shop: 1.0'", "spec.image", "image reference without whitespace"),
                app("negative replicas", "{image: a:1, replicas: -1}", "spec.replicas", "should be greater than or equal to 0"),
                app("port zero", "{image: a:1, port: 0}", "spec.port", "should be greater than or equal to 1"),
                app("port above 65535", "{image: a:1, port: 70000}", "spec.port", "should be less than or equal to 65535"),
                app("minReplicas above maxReplicas",
                        "{image: a:1, autoscaling: {minReplicas: 5, maxReplicas: 2, targetCPUUtilizationPercentage: 70}}",
                        "spec.autoscaling", "minReplicas must not exceed spec.autoscaling.maxReplicas"),
                app("autoscaling without a target", "{image: a:1, autoscaling: {minReplicas: 1, maxReplicas: 2}}",
                        "spec.autoscaling", "needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage"),
                app("CPU target above 100%",
                        "{image: a:1, autoscaling: {minReplicas: 1, maxReplicas: 2, targetCPUUtilizationPercentage: 150}}",
                        "spec.autoscaling.targetCPUUtilizationPercentage", "should be less than or equal to 100"),
                app("probe path without slash", "{image: a:1, probes: {liveness: {path: health}}}",
                        "spec.probes.liveness.path", "probe path must start with '/'"),
                app("invalid env var name", "{image: a:1, env: {'1BAD': x}}", "spec.env",
                        "spec.env keys must be valid environment variable names"),
                app("generated secret too short", "{image: a:1, generatedSecrets: [{key: JWT, length: 8}]}",
                        "spec.generatedSecrets[0].length", "should be greater than or equal to 16"),
                app("generated secret too long", "{image: a:1, generatedSecrets: [{key: JWT, length: 1024}]}",
                        "spec.generatedSecrets[0].length", "should be less than or equal to 512"),
                app("duplicate generated keys", "{image: a:1, generatedSecrets: [{key: JWT}, {key: JWT}]}",
                        "spec.generatedSecrets", "spec.generatedSecrets keys must be unique"),
                app("ingress host not a DNS name", "{image: a:1, ingress: {host: 'Not A Host!'}}", "spec.ingress.host",
                        "spec.ingress.host must be a DNS name"),
                app("TLS with secretName and clusterIssuer",
                        "{image: a:1, ingress: {host: a.example.com, tls: {secretName: s, clusterIssuer: le}}}",
                        "spec.ingress.tls", "needs exactly one of secretName or clusterIssuer"),
                app("blueGreen settings with RollingUpdate", "{image: a:1, strategy: {type: RollingUpdate, blueGreen: {}}}",
                        "spec.strategy", "blueGreen is only allowed with spec.strategy.type BlueGreen"),
                app("rollingUpdate settings with BlueGreen",
                        "{image: a:1, strategy: {type: BlueGreen, rollingUpdate: {maxSurge: 1}}}",
                        "spec.strategy", "rollingUpdate is only allowed with spec.strategy.type RollingUpdate"),
                app("unknown strategy type", "{image: a:1, strategy: {type: Canary}}", "spec.strategy.type",
                        "Unsupported value: \"Canary\""),
                app("maxSurge percentage above 100", "{image: a:1, strategy: {rollingUpdate: {maxSurge: '150%'}}}",
                        "spec.strategy.rollingUpdate.maxSurge", "a count >= 0 or a percentage 0%-100%"),
                app("negative scaleDownDelaySeconds",
                        "{image: a:1, strategy: {type: BlueGreen, blueGreen: {scaleDownDelaySeconds: -5}}}",
                        "spec.strategy.blueGreen.scaleDownDelaySeconds", "should be greater than or equal to 0"),
                app("success rate above 100%",
                        "{image: a:1, strategy: {type: BlueGreen, blueGreen: {prePromotionAnalysis: {successRatePercent: 120}}}}",
                        "spec.strategy.blueGreen.prePromotionAnalysis.successRatePercent", "should be less than or equal to 100"),
                app("invalid CPU quantity", "{image: a:1, resources: {requests: {cpu: lots}}}", "spec.resources.requests.cpu",
                        "cpu must be a Kubernetes quantity"),
                app("requests above limits",
                        "{image: a:1, resources: {requests: {memory: 1Gi}, limits: {memory: 512Mi}}}",
                        "spec.resources", "requests.memory must not exceed spec.resources.limits.memory"),
                app("replicas outside autoscaling bounds",
                        "{image: a:1, replicas: 9, autoscaling: {minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50}}",
                        "spec", "spec.replicas must lie between spec.autoscaling.minReplicas and maxReplicas"))
                .stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(AdmissionCase c) {
        AdmissionAssertions.assertRejected(client, c, namespace.name());
    }

    @Test
    void everyFieldTogetherIsAccepted() {
        AdmissionAssertions.assertAccepted(client, """
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: full}
                spec:
                  image: registry.example.com/acme/shop:1.4.2
                  replicas: 3
                  port: 8080
                  env: {BASE_PATH: /shop, VITE_TARGET_FPS: "60"}
                  secretRefs: [shop-secrets]
                  generatedSecrets: [{key: JWT_SECRET, length: 48}]
                  probes: {liveness: {path: /health}, readiness: {path: /ready, periodSeconds: 5}, startup: {enabled: false}}
                  resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: 500m, memory: 512Mi}}
                  autoscaling: {minReplicas: 3, maxReplicas: 10, targetCPUUtilizationPercentage: 70}
                  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: "0%", progressDeadlineSeconds: 120}}
                  rollback: {automatic: true}
                  ingress: {host: shop.example.com, path: /, className: nginx, tls: {clusterIssuer: letsencrypt}}
                  monitoring: {serviceMonitor: true, alerts: {errorRatePercent: 1, latencyP95Ms: 500, latencyP99Ms: 1500}}
                """, namespace.name());
    }
}
