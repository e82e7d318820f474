package dev.runway.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Bad Environment specs are rejected at admission, with a message that names the field. */
@Tag(Tiers.APISERVER)
class EnvironmentAdmissionTest extends KubernetesTest {

    static AdmissionCase env(String name, String spec, String field, String message) {
        return new AdmissionCase(name, """
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: bad}
                spec:
                """ + spec.indent(2), field, message);
    }

    static Stream<AdmissionCase> cases() {
        return List.of(
                env("missing tier", "namespace: shop", "spec.tier", "Required value"),
                env("tier not in the enum", "tier: Prod", "spec.tier", "Unsupported value: \"Prod\""),
                env("namespace not a DNS label", "{tier: Staging, namespace: Shop_Prod}", "spec.namespace",
                        "spec.namespace must be a DNS label"),
                env("namespace longer than 63", "{tier: Staging, namespace: " + "a".repeat(64) + "}", "spec.namespace",
                        "may not be more than 63 bytes"),
                env("quota cpu not a quantity", "{tier: Staging, quota: {cpu: lots}, containerDefaults: {cpu: 250m}}",
                        "spec.quota.cpu", "spec.quota.cpu must be a non-negative quantity"),
                env("negative quota memory", "{tier: Staging, quota: {memory: -1Gi}, containerDefaults: {memory: 256Mi}}",
                        "spec.quota.memory", "spec.quota.memory must be a non-negative quantity"),
                env("fractional pod quota", "{tier: Staging, quota: {pods: 500m}}", "spec.quota.pods",
                        "spec.quota.pods must be a whole non-negative number"),
                env("container default memory not a quantity", "{tier: Staging, containerDefaults: {memory: big}}",
                        "spec.containerDefaults.memory", "spec.containerDefaults.memory must be a positive quantity"),
                env("zero container default cpu", "{tier: Staging, containerDefaults: {cpu: '0'}}",
                        "spec.containerDefaults.cpu", "spec.containerDefaults.cpu must be a positive quantity"),
                env("cpu quota without a default cpu request", "{tier: Staging, quota: {cpu: '4'}}", "spec.quota.cpu",
                        "spec.containerDefaults.cpu is required when spec.quota.cpu is set"),
                env("promotion.from naming itself", "{tier: Staging, promotion: {from: bad}}", "spec.promotion.from",
                        "spec.promotion.from must name another Environment, not this one"),
                env("promotion.from not an Environment name", "{tier: Staging, promotion: {from: 'UAT!'}}", "spec.promotion.from",
                        "should match"),
                env("negative minSoakMinutes", "{tier: Production, promotion: {from: uat, minSoakMinutes: -5}}",
                        "spec.promotion.minSoakMinutes", "should be greater than or equal to 0"),
                env("minSoakMinutes without from", "{tier: Production, promotion: {minSoakMinutes: 30}}",
                        "spec.promotion.minSoakMinutes", "needs spec.promotion.from"),
                env("unknown podSecurity level", "{tier: Staging, isolation: {podSecurity: strict}}",
                        "spec.isolation.podSecurity", "Unsupported value: \"strict\""),
                env("unknown networkPolicy mode", "{tier: Staging, isolation: {networkPolicy: DenyAll}}",
                        "spec.isolation.networkPolicy", "Unsupported value: \"DenyAll\""),
                env("allowFrom entry not a DNS label",
                        "{tier: Staging, isolation: {networkPolicy: SameNamespace, allowFrom: [monitoring, Ingress_Nginx]}}",
                        "spec.isolation.allowFrom[1]", "should match"),
                env("allowFrom without SameNamespace", "{tier: Staging, isolation: {allowFrom: [monitoring]}}",
                        "spec.isolation.allowFrom", "needs spec.isolation.networkPolicy: SameNamespace"),
                env("access entry without a subject", "{tier: Staging, access: [{role: view}]}", "spec.access[0]",
                        "needs exactly one of group, user or serviceAccount"),
                env("access entry with two subjects", "{tier: Staging, access: [{group: sre, user: ann, role: view}]}",
                        "spec.access[0]", "needs exactly one of group, user or serviceAccount"),
                env("role outside view/edit/admin", "{tier: Staging, access: [{group: sre, role: cluster-admin}]}",
                        "spec.access[0].role", "Unsupported value: \"cluster-admin\""),
                env("access entry without a role", "{tier: Staging, access: [{group: sre}]}", "spec.access[0].role",
                        "Required value"),
                env("serviceAccount not namespace/name", "{tier: Staging, access: [{serviceAccount: 'ci/deployer/x', role: edit}]}",
                        "spec.access[0].serviceAccount", "should match"),
                env("config key not an env var name", "{tier: Staging, config: {'API-URL': x}}", "spec.config",
                        "spec.config keys must be valid environment variable names"),
                env("feature flag key not camelCase", "{tier: Staging, featureFlags: {'gait-analysis': true}}", "spec.featureFlags",
                        "spec.featureFlags keys must be camelCase words"),
                env("unknown deletionPolicy", "{tier: Staging, deletionPolicy: Orphan}", "spec.deletionPolicy",
                        "Unsupported value: \"Orphan\""))
                .stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(AdmissionCase c) {
        AdmissionAssertions.assertRejected(client, c, null);
    }

    @Test
    void everyFieldTogetherIsAccepted() {
        AdmissionAssertions.assertAccepted(client, """
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: production}
                spec:
                  tier: Production
                  namespace: shop-prod
                  adoptExisting: false
                  deletionPolicy: Retain
                  config: {NODE_ENV: production, API_URL: https://api.example.com}
                  featureFlags: {gaitAnalysis: true, audioV2: false}
                  quota: {cpu: "20", memory: 40Gi, pods: "100"}
                  containerDefaults: {cpu: 250m, memory: 256Mi}
                  isolation: {podSecurity: restricted, networkPolicy: SameNamespace, allowFrom: [ingress-nginx, monitoring]}
                  access:
                    - {group: sre, role: edit}
                    - {user: ann@example.com, role: view}
                    - {serviceAccount: ci/deployer, role: admin}
                  promotion: {from: uat, minSoakMinutes: 30, requireApproval: true}
                  alerting: {labels: {team: shop, route: pagerduty}}
                """, null);
    }

    @Test
    void namespaceCannotChangeOnceSet() {
        String name = "immutable-" + UUID.randomUUID().toString().substring(0, 6);
        Environment env = client.getKubernetesSerialization().unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development, namespace: %s-a}
                """.formatted(name, name), Environment.class);
        // Stored for real: an update needs an old object. The operator may be running and writing status.
        Environment created = client.resource(env).create();
        try {
            created.getSpec().namespace = name + "-b";
            assertThatThrownBy(() -> AdmissionAssertions.updateOverCurrent(client, created, false))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(422);
                        assertThat(e.getStatus().getMessage()).contains("spec.namespace").contains("cannot change once set");
                    });
            created.getSpec().namespace = null;
            assertThatThrownBy(() -> AdmissionAssertions.updateOverCurrent(client, created, false))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                            .contains("spec.namespace").contains("cannot be added or removed after creation"));
        } finally {
            client.resource(created).delete();
            // When an operator runs in this JVM (other test classes) it may have made the namespace.
            client.namespaces().withName(name + "-a").delete();
        }
    }
}
