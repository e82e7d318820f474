package dev.runway.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec;
import dev.runway.operator.environment.NamespaceOwnership.Verdict;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Whose namespace it is is read from the namespace itself, and an unknown one is never taken silently. */
@Tag(Tiers.UNIT)
class NamespaceOwnershipTest {
    static final String UID = "5a0c1c9e-0000-4000-8000-000000000001";

    @Test
    void aMissingNamespaceIsCreated() {
        NamespaceOwnership o = NamespaceOwnership.decide(env(false), Optional.empty(), n -> false);
        assertThat(o.verdict()).isEqualTo(Verdict.CREATE);
        assertThat(o.created()).isTrue();
    }

    @Test
    void anUnknownNamespaceIsRefusedWithoutAdoptExisting() {
        NamespaceOwnership o = NamespaceOwnership.decide(env(false), Optional.of(ns(Map.of(), Map.of())), n -> false);
        assertThat(o.verdict()).isEqualTo(Verdict.REFUSE_EXISTS);
        assertThat(o.message()).contains("shop-prod already exists").contains("spec.adoptExisting: true");
    }

    @Test
    void anUnknownNamespaceIsAdoptedWithAdoptExisting() {
        NamespaceOwnership o = NamespaceOwnership.decide(env(true), Optional.of(ns(Map.of(), Map.of())), n -> false);
        assertThat(o.verdict()).isEqualTo(Verdict.ADOPT);
        assertThat(o.created()).isFalse();
    }

    @Test
    void theCreatedByAnnotationOfThisEnvironmentMeansCreated() {
        Namespace ns = ns(Map.of("runway.dev/environment", "production"), Map.of(NamespaceOwnership.CREATED_BY_ANNOTATION, UID));
        NamespaceOwnership o = NamespaceOwnership.decide(env(false), Optional.of(ns), n -> false);
        assertThat(o.verdict()).isEqualTo(Verdict.MANAGE);
        assertThat(o.created()).isTrue();
    }

    @Test
    void anAnnotationOfAnEarlierEnvironmentOfTheSameNameDoesNotCount() {
        Namespace ns = ns(Map.of(), Map.of(NamespaceOwnership.CREATED_BY_ANNOTATION, "another-uid"));
        assertThat(NamespaceOwnership.decide(env(false), Optional.of(ns), n -> false).verdict()).isEqualTo(Verdict.REFUSE_EXISTS);
    }

    @Test
    void aNamespaceLabelledForThisEnvironmentIsManagedButNotCreated() {
        Namespace ns = ns(Map.of("runway.dev/environment", "production"), Map.of());
        NamespaceOwnership o = NamespaceOwnership.decide(env(false), Optional.of(ns), n -> false);
        assertThat(o.verdict()).isEqualTo(Verdict.MANAGE);
        assertThat(o.created()).isFalse();
    }

    @Test
    void aNamespaceOfAnotherExistingEnvironmentIsRefusedEvenWithAdoptExisting() {
        Namespace ns = ns(Map.of("runway.dev/environment", "staging"), Map.of());
        NamespaceOwnership o = NamespaceOwnership.decide(env(true), Optional.of(ns), "staging"::equals);
        assertThat(o.verdict()).isEqualTo(Verdict.REFUSE_CLAIMED);
        assertThat(o.message()).contains("belongs to Environment staging");
        // Once that Environment is gone, adoption is possible again.
        assertThat(NamespaceOwnership.decide(env(true), Optional.of(ns), n -> false).verdict()).isEqualTo(Verdict.ADOPT);
    }

    @Test
    void aTerminatingNamespaceIsWaitedFor() {
        Namespace ns = ns(Map.of(), Map.of(NamespaceOwnership.CREATED_BY_ANNOTATION, UID));
        ns.getMetadata().setDeletionTimestamp("2026-05-01T12:00:00Z");
        assertThat(NamespaceOwnership.decide(env(false), Optional.of(ns), n -> false).verdict()).isEqualTo(Verdict.TERMINATING);
    }

    static Environment env(boolean adopt) {
        Environment env = new Environment();
        env.setMetadata(new ObjectMetaBuilder().withName("production").withUid(UID).build());
        env.setSpec(new EnvironmentSpec());
        env.getSpec().tier = EnvironmentSpec.Tier.Production;
        env.getSpec().namespace = "shop-prod";
        env.getSpec().adoptExisting = adopt;
        return env;
    }

    static Namespace ns(Map<String, String> labels, Map<String, String> annotations) {
        return new NamespaceBuilder().withNewMetadata().withName("shop-prod").withLabels(labels).withAnnotations(annotations)
                .endMetadata().build();
    }
}
