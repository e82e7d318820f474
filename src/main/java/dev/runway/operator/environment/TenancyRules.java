package dev.runway.operator.environment;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Access;
import dev.runway.operator.common.Environments;

/**
 * What no Environment may do, checked by the operator as well as at admission: the CRD's CEL rules
 * and the chart's ValidatingAdmissionPolicies refuse these first, but a cluster without the
 * policies (or an Environment stored before them) must not get through either. docs/tenancy.md.
 *
 * @param protectedNamespaces namespaces besides {@code default} and {@code kube-*}: the operator's own and the configured ones
 */
public record TenancyRules(Set<String> protectedNamespaces) {
    public static final String PROTECTED_NAMESPACE = "ProtectedNamespace";
    public static final String SYSTEM_SUBJECT = "SystemSubject";
    private static final String SYSTEM_PREFIX = "system:";

    /** A rule broken: the condition reason and a message naming the field. */
    public record Refusal(String reason, String message) {
    }

    public static TenancyRules of(Optional<String> operatorNamespace, List<String> configured) {
        Set<String> names = new TreeSet<>(configured);
        operatorNamespace.filter(ns -> !ns.isBlank()).ifPresent(names::add);
        return new TenancyRules(Set.copyOf(names));
    }

    public boolean isProtected(String namespace) {
        return namespace.equals("default") || namespace.startsWith("kube-") || protectedNamespaces.contains(namespace);
    }

    /** The first rule {@code env} breaks, if any. */
    public Optional<Refusal> check(Environment env) {
        String namespace = Environments.namespaceOf(env);
        if (isProtected(namespace)) {
            return Optional.of(new Refusal(PROTECTED_NAMESPACE, "spec.namespace (default: metadata.name) is " + namespace
                    + ", a protected namespace (default, kube-*, the operator's own and runway.tenancy.protected-namespaces);"
                    + " nothing was written to it. Choose another spec.namespace"));
        }
        List<Access> access = env.getSpec() == null || env.getSpec().access == null ? List.of() : env.getSpec().access;
        for (int i = 0; i < access.size(); i++) {
            Access a = access.get(i);
            String field = a.group != null ? "group" : a.user != null ? "user" : "serviceAccount";
            String subject = a.group != null ? a.group : a.user != null ? a.user : a.serviceAccount;
            if (subject != null && subject.startsWith(SYSTEM_PREFIX)) {
                return Optional.of(new Refusal(SYSTEM_SUBJECT, "spec.access[" + i + "]." + field + " is " + subject
                        + ": subjects under system: are the cluster's own and are never bound; no RoleBinding was written."
                        + " Remove the entry or name a group or user of your own"));
            }
        }
        return Optional.empty();
    }
}
