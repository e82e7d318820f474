package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.application.GeneratedSecretDependent.Origin;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/**
 * Where an Application's generated values come from (kept, adopted from a retained Secret,
 * regenerated after a loss, rotated) and how its status and events say so.
 */
@Tag(Tiers.UNIT)
class GeneratedSecretsConditionTest {
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final ApplicationStatusFactory factory = new ApplicationStatusFactory(clock);

    static Application app(String uid, ApplicationSpec.SecretRetention retention) {
        Application app = new Application();
        app.getMetadata().setName("shop");
        app.getMetadata().setNamespace("shop-prod");
        app.getMetadata().setUid(uid);
        app.getMetadata().setGeneration(1L);
        app.setSpec(new ApplicationSpec());
        app.getSpec().image = "example.com/shop:1";
        var jwt = new ApplicationSpec.GeneratedSecret();
        jwt.key = "JWT_SECRET";
        app.getSpec().generatedSecrets = List.of(jwt);
        app.getSpec().generatedSecretsRetention = retention;
        return app;
    }

    static Secret secretFor(String uid) {
        return new SecretBuilder().withNewMetadata().withName("shop-generated")
                .withAnnotations(Map.of(GeneratedSecretDependent.GENERATED_FOR, uid)).endMetadata().build();
    }

    @Test
    void theOriginOfTheValues() {
        Application app = app("uid-2", null);
        assertThat(GeneratedSecretDependent.origin(app, Optional.empty(), false, false)).isEqualTo(Origin.GENERATED);
        assertThat(GeneratedSecretDependent.origin(app, Optional.of(secretFor("uid-2")), false, true)).isEqualTo(Origin.KEPT);
        assertThat(GeneratedSecretDependent.origin(app, Optional.of(secretFor("uid-1")), false, false))
                .as("left by an earlier Application of the same name").isEqualTo(Origin.ADOPTED);
        assertThat(GeneratedSecretDependent.origin(app, Optional.empty(), false, true))
                .as("this Application had values, and the Secret is gone").isEqualTo(Origin.REGENERATED);
        assertThat(GeneratedSecretDependent.origin(app, Optional.of(secretFor("uid-2")), true, true)).isEqualTo(Origin.ROTATED);
    }

    @Test
    void retainedSecretsCarryNoOwnerReferenceAndAnnounceIt() {
        ApplicationPlan plan = plan();
        Secret retained = GeneratedSecretDependent.build(app("uid-2", ApplicationSpec.SecretRetention.Retain), plan, Map.of());
        assertThat(retained.getMetadata().getAnnotations()).containsEntry(GeneratedSecretDependent.RETENTION, "Retain")
                .containsEntry(GeneratedSecretDependent.GENERATED_FOR, "uid-2");
        Secret owned = GeneratedSecretDependent.build(app("uid-2", null), plan, Map.of());
        assertThat(owned.getMetadata().getAnnotations()).containsEntry(GeneratedSecretDependent.RETENTION, "Delete");
        assertThat(GeneratedSecretDependent.build(app("uid-2", null), plan, retained.getData()).getData())
                .as("existing values are kept").isEqualTo(retained.getData());
    }

    @Test
    void adoptionAndRegenerationAreReportedOnceAndKeptInTheCondition() {
        Application app = app("uid-2", ApplicationSpec.SecretRetention.Retain);
        ApplicationPlan plan = plan();
        ApplicationStatus before = new ApplicationStatus();
        ApplicationStatus adopted = new ApplicationStatus();
        factory.generatedSecrets(adopted, app, plan, Origin.ADOPTED);
        Condition condition = ConditionFactory.find(adopted.conditions, ConditionTypes.GENERATED_SECRETS).orElseThrow();
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getReason()).isEqualTo("Adopted");
        assertThat(factory.transitions(before, adopted)).anySatisfy(t -> {
            assertThat(t.reason()).isEqualTo("GeneratedSecretsAdopted");
            assertThat(t.warning()).isFalse();
        });

        ApplicationStatus next = new ApplicationStatus();
        next.conditions.addAll(adopted.conditions);
        factory.generatedSecrets(next, app, plan, Origin.KEPT);
        assertThat(ConditionFactory.find(next.conditions, ConditionTypes.GENERATED_SECRETS).orElseThrow().getReason())
                .as("the reason stays readable after the event").isEqualTo("Adopted");
        assertThat(factory.transitions(adopted, next)).noneMatch(t -> t.reason().startsWith("GeneratedSecrets"));

        ApplicationStatus lost = new ApplicationStatus();
        lost.conditions.addAll(next.conditions);
        factory.generatedSecrets(lost, app, plan, Origin.REGENERATED);
        Condition regenerated = ConditionFactory.find(lost.conditions, ConditionTypes.GENERATED_SECRETS).orElseThrow();
        assertThat(regenerated.getStatus()).isEqualTo("False");
        assertThat(regenerated.getMessage()).contains("shop-generated", "JWT_SECRET", "spec.generatedSecretsRetention: Retain")
                .doesNotContain("=");
        assertThat(factory.transitions(next, lost)).anySatisfy(t -> {
            assertThat(t.reason()).isEqualTo("GeneratedSecretsRegenerated");
            assertThat(t.warning()).isTrue();
        });

        app.getSpec().generatedSecrets = null;
        factory.generatedSecrets(lost, app, plan, Origin.KEPT);
        assertThat(ConditionFactory.find(lost.conditions, ConditionTypes.GENERATED_SECRETS)).isEmpty();
    }

    static ApplicationPlan plan() {
        return new ApplicationPlan("example.com/shop:1", null, Map.of(), "abc", List.of(), 1,
                dev.runway.operator.common.TierDefaults.of((dev.runway.operator.api.v1alpha1.EnvironmentSpec) null), null, null, false, null, null, Map.of(), null, null);
    }
}
