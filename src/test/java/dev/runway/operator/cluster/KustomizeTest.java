package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.runway.operator.testing.HelmChart;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The kustomize overlays in config/ build with the control plane's kubectl, carry the chart's
 * ClusterRole and the CRDs, and the API server accepts every object (server-side dry-run apply).
 */
@Tag(Tiers.CLUSTER)
class KustomizeTest {
    static final Path REPO = Path.of(System.getProperty("user.dir"));
    static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = LocalControlPlane.client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "cluster-wide", "single-namespace" })
    void overlayBuildsAndIsAcceptedByTheApiServer(String overlay) throws Exception {
        List<HasMetadata> objects = HelmChart.parse(kustomize(REPO.resolve("config/overlays").resolve(overlay)));
        assertThat(objects).filteredOn(o -> o.getKind().equals("CustomResourceDefinition"))
                .extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder("applications.runway.dev", "environments.runway.dev", "backuppolicies.runway.dev",
                        "migrationjobs.runway.dev");
        ClusterRole role = HelmChart.one(objects, ClusterRole.class);
        assertThat(role.getRules()).as("config/base/rbac/cluster_role.yaml follows the chart's ClusterRole")
                .isEqualTo(HelmChart.one(HelmChart.render("runway", "runway-system"), ClusterRole.class).getRules());
        assertThat(admissionPolicies(objects)).as("config/base/admission follows the chart's admission policies")
                .hasSize(4).isEqualTo(admissionPolicies(HelmChart.render("runway-operator", "runway-system")));
        Deployment deployment = HelmChart.one(objects, Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(HelmChart.one(objects, ClusterRoleBinding.class).getSubjects().get(0).getName());
        Map<String, String> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).as("config/base/manager/deployment.yaml runs the JVM as the chart's jvm.* values do")
                .containsAllEntriesOf(HelmChart.operatorJvmEnvironment());
        if (overlay.equals("single-namespace")) {
            assertThat(env).containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_APPLICATION_NAMESPACES", "apps")
                    .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_BACKUPPOLICY_NAMESPACES", "apps");
        } else {
            assertThat(env).doesNotContainKey("QUARKUS_OPERATOR_SDK_CONTROLLERS_APPLICATION_NAMESPACES");
        }

        // Dry run into a fresh namespace (runway-system may not exist here); cluster-scoped objects as they are.
        try (TestNamespace ns = TestNamespace.create(client, "kustomize")) {
            for (HasMetadata o : objects) {
                if (o instanceof Namespace) {
                    continue;
                }
                if (o.getMetadata().getNamespace() != null) {
                    o.getMetadata().setNamespace(ns.name());
                }
                if (o instanceof ClusterRoleBinding b) {
                    b.getSubjects().forEach(s -> s.setNamespace(ns.name()));
                }
                if (o instanceof RoleBinding b) {
                    b.getSubjects().forEach(s -> s.setNamespace(ns.name()));
                }
                HasMetadata applied = client.resource(o).dryRun().fieldManager("runway-kustomize-test").forceConflicts().serverSideApply();
                assertThat(applied.getMetadata().getName()).isEqualTo(o.getMetadata().getName());
            }
        }
    }

    /** The ValidatingAdmissionPolicies and their bindings by name, without labels (the chart adds its own). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> admissionPolicies(List<HasMetadata> objects) {
        Map<String, Object> policies = new java.util.TreeMap<>();
        objects.stream().filter(o -> o.getKind().startsWith("ValidatingAdmissionPolicy")).forEach(o -> {
            Map<String, Object> tree = client.getKubernetesSerialization().convertValue(o, Map.class);
            ((Map<String, Object>) tree.get("metadata")).remove("labels");
            policies.put(o.getKind() + "/" + o.getMetadata().getName(), tree);
        });
        return policies;
    }

    static String kustomize(Path dir) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder(kubectl().toString(), "kustomize", dir.toString()).start();
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();
        return out;
    }

    /** The kubectl hack/cluster.sh builds: $RUNWAY_CACHE/bin/kubernetes-$K8S_VERSION/kubectl. */
    static Path kubectl() throws IOException {
        return LocalControlPlane.cacheDir().resolve("bin").resolve("kubernetes-" + LocalControlPlane.pinned("K8S_VERSION")).resolve("kubectl");
    }
}
