package dev.runway.operator.cluster;

import static dev.runway.operator.cluster.EnvironmentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Environments;
import dev.runway.operator.testing.Tiers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What Applications get from their Environment, with the operator running: the environment's
 * variables (a change re-rolls the pods) and the promotion gate, released by itself after a real
 * soak in the source environment.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class EnvironmentInheritanceTest extends EnvironmentClusterTest {

    @Test
    void anEnvironmentConfigChangeRerollsItsApplications() {
        String name = unique("config");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development, config: {GREETING: hello}, featureFlags: {newCheckout: false}}
                """.formatted(name)));
        createApplication(name, "shop", "example.com/shop:1.0.0");
        awaitApplicationReady(name, "shop", a -> true);
        String hashBefore = configHash(name, "shop");
        assertThat(client.configMaps().inNamespace(name).withName("shop-env").get().getData())
                .containsEntry("GREETING", "hello").containsEntry("FEATURE_NEW_CHECKOUT", "false");

        editEnvironment(name, e -> {
            e.getSpec().config = Map.of("GREETING", "bonjour");
            return e;
        });
        await().atMost(CONVERGED).untilAsserted(() -> {
            assertThat(client.configMaps().inNamespace(name).withName("shop-env").get().getData()).containsEntry("GREETING", "bonjour");
            assertThat(configHash(name, "shop")).isNotEqualTo(hashBefore);
            assertThat(client.configMaps().inNamespace(name).withName(Environments.CONFIG_MAP).get().getData())
                    .containsEntry("GREETING", "bonjour");
        });
        awaitApplicationReady(name, "shop", a -> !hashBefore.equals(a.getStatus().configHash));
    }

    @Test
    void promotionWaitsUntilTheImageSoakedHealthyInTheSourceEnvironment() {
        String staging = unique("staging");
        String prod = unique("prod");
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Staging}
                """.formatted(staging)));
        awaitReady(create("""
                apiVersion: runway.dev/v1alpha1
                kind: Environment
                metadata: {name: %s}
                spec: {tier: Development}
                """.formatted(prod)));
        // v1 serves in prod before the gate exists.
        createApplication(prod, "shop", "example.com/shop:1.0.0");
        awaitApplicationReady(prod, "shop", a -> "example.com/shop:1.0.0".equals(a.getStatus().stableImage));
        awaitReady(editEnvironment(prod, e -> {
            e.getSpec().promotion = new EnvironmentSpec.Promotion();
            e.getSpec().promotion.from = staging;
            e.getSpec().promotion.minSoakMinutes = 1;
            return e;
        }));

        // v2 becomes healthy in staging: the real evidence, written by the operator.
        createApplication(staging, "shop", "example.com/shop:2.0.0");
        Application source = awaitApplicationReady(staging, "shop", a -> !a.getStatus().history.isEmpty()
                && "Healthy".equals(a.getStatus().history.get(0).outcome));
        Instant healthyAt = Instant.parse(source.getStatus().history.get(0).healthyAt);

        editApplication(prod, "shop", a -> {
            a.getSpec().image = "example.com/shop:2.0.0";
            return a;
        });
        Application blocked = client.resources(Application.class).inNamespace(prod).withName("shop").waitUntilCondition(a ->
                condition(a, "PromotionBlocked").map(c -> "True".equals(c.getStatus())).orElse(false), 60, TimeUnit.SECONDS);
        assertThat(condition(blocked, "PromotionBlocked").orElseThrow().getMessage())
                .contains("image example.com/shop:2.0.0 has run healthy in " + staging).contains("needs 1m").contains("left)");
        assertThat(condition(blocked, ConditionFactory.READY).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(condition(blocked, ConditionFactory.RECONCILING).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(condition(blocked, ConditionFactory.STALLED).orElseThrow().getStatus()).isEqualTo("False");
        assertThat(image(prod, "shop")).as("the old image keeps serving").isEqualTo("example.com/shop:1.0.0");
        await().atMost(CONVERGED).until(() -> events(prod, "shop").stream().anyMatch(e -> "PromotionBlocked".equals(e.getReason())));

        // An image with no evidence at all, and nothing serving yet: nothing is rolled out.
        createApplication(prod, "cart", "example.com/cart:1.0.0");
        Application cart = client.resources(Application.class).inNamespace(prod).withName("cart").waitUntilCondition(a ->
                condition(a, "PromotionBlocked").map(c -> "True".equals(c.getStatus())).orElse(false), 60, TimeUnit.SECONDS);
        assertThat(condition(cart, "PromotionBlocked").orElseThrow().getMessage()).contains("there is no Application cart");
        assertThat(client.apps().deployments().inNamespace(prod).withName("cart").get()).isNull();

        // Released by itself once the minute has passed, without any further edit.
        Application released = client.resources(Application.class).inNamespace(prod).withName("shop").waitUntilCondition(a ->
                "example.com/shop:2.0.0".equals(a.getStatus().stableImage)
                        && ConditionFactory.isTrue(a.getStatus().conditions, ConditionFactory.READY), 120, TimeUnit.SECONDS);
        assertThat(condition(released, "PromotionBlocked").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(Instant.parse(released.getStatus().history.get(0).deployedAt))
                .as("rolled out only after the soak").isAfterOrEqualTo(healthyAt.plus(Duration.ofMinutes(1)));
        assertThat(image(prod, "shop")).isEqualTo("example.com/shop:2.0.0");
    }
}
