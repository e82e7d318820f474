package dev.runway.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The operator's own tenancy check, for Environments the API server let through (no policies installed, or stored before them). */
@Tag(Tiers.UNIT)
class TenancyRulesTest {
    final TenancyRules rules = TenancyRules.of(Optional.of("runway-system"), List.of("vault"));

    static Environment env(String yaml) {
        return Serialization.unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                """ + yaml, Environment.class);
    }

    @Test
    void protectedNamespacesAreRefusedNamingSpecNamespace() {
        for (String ns : List.of("default", "kube-system", "kube-public", "runway-system", "vault")) {
            assertThat(rules.check(env("metadata: {name: x}\nspec: {tier: Staging, namespace: " + ns + "}")))
                    .as(ns).hasValueSatisfying(r -> {
                        assertThat(r.reason()).isEqualTo(TenancyRules.PROTECTED_NAMESPACE);
                        assertThat(r.message()).contains("spec.namespace", ns);
                    });
        }
        assertThat(rules.check(env("metadata: {name: kube-system}\nspec: {tier: Staging}"))).isPresent();
        assertThat(rules.check(env("metadata: {name: shop}\nspec: {tier: Staging, namespace: vaults}"))).isEmpty();
    }

    @Test
    void systemSubjectsAreRefusedNamingTheEntry() {
        assertThat(rules.check(env("""
                metadata: {name: shop}
                spec: {tier: Staging, access: [{group: sre, role: view}, {group: 'system:authenticated', role: admin}]}
                """))).hasValueSatisfying(r -> {
                    assertThat(r.reason()).isEqualTo(TenancyRules.SYSTEM_SUBJECT);
                    assertThat(r.message()).contains("spec.access[1].group", "system:authenticated");
                });
        assertThat(rules.check(env("metadata: {name: shop}\nspec: {tier: Staging, access: [{user: 'system:admin', role: view}]}")))
                .hasValueSatisfying(r -> assertThat(r.message()).contains("spec.access[0].user"));
        assertThat(rules.check(env("metadata: {name: shop}\nspec: {tier: Staging, access: [{serviceAccount: ci/deployer, role: edit}]}")))
                .isEmpty();
    }
}
