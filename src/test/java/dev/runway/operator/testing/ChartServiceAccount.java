package dev.runway.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs the operator under test as the Helm chart's ServiceAccount: before Quarkus starts, it
 * renders the chart ({@code helm template}, default values) into a fresh release namespace,
 * creates its ServiceAccount, ClusterRole(Binding) and leader-election Role(Binding), asks the
 * API server for a token of that ServiceAccount (TokenRequest) and points the JVM's
 * {@code kubeconfig} property at a kubeconfig with only that token — the way the operator
 * authenticates in its pod. The operator's client is the only one built from that property while
 * this resource runs (tests build theirs from {@link LocalControlPlane#client()}); {@link #stop()}
 * points the property back at the admin kubeconfig and deletes what it created.
 *
 * <p>A token rather than impersonation: the API server's audit policy matches the authenticated
 * user, so only a real ServiceAccount identity lets the audit log record this operator's requests
 * (reads included, see hack/audit-policy.yaml) apart from everyone else's.
 *
 * <p>Tests read the identity from system properties {@value #USER} and {@value #NAMESPACE}, the
 * audit log offset where the operator's requests start from {@value #AUDIT_OFFSET}, and make
 * requests of their own under that identity through {@link #client()}.
 */
public class ChartServiceAccount implements QuarkusTestResourceLifecycleManager {
    public static final String USER = "chart-rbac-test.user";
    public static final String NAMESPACE = "chart-rbac-test.namespace";
    public static final String KUBECONFIG = "chart-rbac-test.kubeconfig";
    public static final String AUDIT_OFFSET = "chart-rbac-test.audit-offset";

    private KubernetesClient admin;
    private List<HasMetadata> rbac = List.of();
    private String namespace;
    private Path kubeconfig;

    @Override
    public Map<String, String> start() {
        Path adminKubeconfig = LocalControlPlane.kubeconfig();
        admin = LocalControlPlane.client();
        String id = UUID.randomUUID().toString().substring(0, 6);
        namespace = "runway-rbac-" + id;
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .addToLabels("runway.dev/test", "true").endMetadata().build()).create();
        rbac = HelmChart.render("rbac-" + id, namespace).stream()
                .filter(o -> List.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding").contains(o.getKind()))
                .toList();
        rbac.forEach(o -> admin.resource(o).create());
        String sa = HelmChart.one(rbac, ServiceAccount.class).getMetadata().getName();
        String token = admin.serviceAccounts().inNamespace(namespace).withName(sa).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();

        System.setProperty(USER, "system:serviceaccount:" + namespace + ":" + sa);
        System.setProperty(NAMESPACE, namespace);
        System.setProperty(AUDIT_OFFSET, String.valueOf(AuditLog.of(adminKubeconfig).size()));
        kubeconfig = writeKubeconfig(admin.getConfiguration(), token, namespace);
        System.setProperty(KUBECONFIG, kubeconfig.toString());
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
        // With leader election on (the test profile's), the Lease goes to the client's namespace (the
        // context's, as in the pod): the chart's Role covers it there.
        return Map.of();
    }

    @Override
    public void stop() {
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, LocalControlPlane.kubeconfig().toString());
        List.of(USER, NAMESPACE, KUBECONFIG, AUDIT_OFFSET).forEach(System::clearProperty);
        try {
            rbac.stream().filter(o -> o.getMetadata().getNamespace() == null).forEach(o -> admin.resource(o).delete());
            admin.namespaces().withName(namespace).delete();
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            admin.close();
        }
    }

    /** A client authenticated as the chart's ServiceAccount, for requests a test makes on purpose under that identity. */
    public static KubernetesClient client() {
        try {
            return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(Path.of(System.getProperty(KUBECONFIG))))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeKubeconfig(Config admin, String token, String namespace) {
        try {
            String ca = admin.getCaCertData() != null ? admin.getCaCertData()
                    : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
            Path file = Files.createTempFile("runway-chart-sa", ".kubeconfig");
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: test
                      cluster: {server: "%s", certificate-authority-data: "%s"}
                    users:
                    - name: chart-service-account
                      user: {token: "%s"}
                    contexts:
                    - name: chart-service-account
                      context: {cluster: test, user: chart-service-account, namespace: "%s"}
                    current-context: chart-service-account
                    """.formatted(admin.getMasterUrl(), ca, token, namespace));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
