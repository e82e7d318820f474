package dev.runway.operator.testing;

import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Who wrote a child object, from the audit log. The operator in the test JVM sends fabric8's default
 * User-Agent; a test that writes children itself does so through {@link #otherClient}, whose
 * User-Agent is its own, so the two can be told apart.
 */
public final class ChildWrites {
    public static final String OPERATOR_AGENT = "fabric8-kubernetes-client/";
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

    private ChildWrites() {
    }

    /** A client whose requests the audit log attributes to {@code agent}, not to the operator. */
    public static KubernetesClient otherClient(KubernetesClient client, String agent) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(agent).build()).build();
    }

    /** The operator's accepted writes (any subresource) to {@code resource} {@code namespace/name} since {@code mark}. */
    public static List<AuditLog.Entry> byOperator(AuditLog log, AuditLog.Mark mark, String resource, String namespace, String name) {
        return by(log, mark, OPERATOR_AGENT, resource, namespace, name);
    }

    /** Accepted writes sent with a User-Agent starting with {@code agent}. */
    public static List<AuditLog.Entry> by(AuditLog log, AuditLog.Mark mark, String agent, String resource, String namespace, String name) {
        return log.since(mark, e -> e.userAgent().startsWith(agent) && WRITES.contains(e.verb()) && resource.equals(e.resource())
                && namespace.equals(e.namespace()) && name.equals(e.name()) && e.code() < 300);
    }
}
