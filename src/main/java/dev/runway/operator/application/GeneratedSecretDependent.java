package dev.runway.operator.application;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec.GeneratedSecret;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The Secret of values Runway generates for an Application ({@code <app>-generated}). A value is
 * generated once, when its key first appears, and kept: desired state is the existing values plus
 * new ones for new keys, so reconciles after the first find nothing to change. Values are replaced
 * only on the runway.dev/rotate-secrets annotation. They are never logged or put in status.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class GeneratedSecretDependent extends ApplicationChild<Secret> {
    public static final String ROTATED_AT = "runway.dev/rotated-at";
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public GeneratedSecretDependent() {
        super(Secret.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationPlan.generatedSecretName(app);
    }

    @Override
    protected Secret desired(Application app, Context<Application> context) {
        ApplicationPlan plan = ApplicationPlan.of(context);
        Map<String, String> existing = current(app, context).map(Secret::getData).orElse(Map.of());
        return build(app, plan, plan.rotateSecrets() ? Map.of() : existing);
    }

    /** The Secret with {@code existing} values (base64, as stored) kept and missing ones generated. */
    static Secret build(Application app, ApplicationPlan plan, Map<String, String> existing) {
        Map<String, String> data = new LinkedHashMap<>();
        for (GeneratedSecret g : app.getSpec().generatedSecrets) {
            String kept = existing.get(g.key);
            data.put(g.key, kept != null ? kept : Base64.getEncoder().encodeToString(random(g.length).getBytes(StandardCharsets.US_ASCII)));
        }
        var builder = new SecretBuilder()
                .withNewMetadata()
                    .withName(ApplicationPlan.generatedSecretName(app))
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, "generated-secret", plan.environment()))
                .endMetadata()
                .withType("Opaque")
                .withData(data);
        if (plan.secretsRotatedAt() != null) {
            builder.editMetadata().addToAnnotations(ROTATED_AT, plan.secretsRotatedAt()).endMetadata();
        }
        return builder.build();
    }

    static String random(int length) {
        char[] value = new char[length];
        for (int i = 0; i < length; i++) {
            value[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(value);
    }

    /** Reconciled only while spec.generatedSecrets lists something: emptying the list deletes the Secret. */
    public static class Enabled implements io.javaoperatorsdk.operator.processing.dependent.workflow.Condition<Secret, Application> {
        @Override
        public boolean isMet(io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource<Secret, Application> dependent,
                Application app, Context<Application> context) {
            return app.getSpec().generatedSecrets != null && !app.getSpec().generatedSecrets.isEmpty();
        }
    }
}
