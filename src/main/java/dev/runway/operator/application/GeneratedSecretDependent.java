package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec.GeneratedSecret;
import dev.runway.operator.api.v1alpha1.ApplicationSpec.SecretRetention;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;

/**
 * The Secret of values Runway generates for an Application ({@code <app>-generated}). A value is
 * generated once, when its key first appears, and kept: desired state is the existing values plus
 * new ones for new keys, so reconciles after the first find nothing to change. Values are replaced
 * only on the runway.dev/rotate-secrets annotation. They are never logged or put in status.
 *
 * <p>With {@code spec.generatedSecretsRetention: Retain} the Secret has no owner reference, so the
 * garbage collector leaves it when the Application goes, and Runway never deletes it; the next
 * Application of the same name finds it by name and keeps its values. The annotation
 * {@value #GENERATED_FOR} names the uid of the Application the values were last applied for, which is
 * how a new Application tells that it adopted them ({@link #origin}).
 */
// Server-side applied, unlike JOSDK's default for Secrets: its non-SSA update merges only labels and
// annotations into the live object, so an owner reference could never be dropped (Retain) or
// added back (Delete). The data is base64 `data` only, which the SSA matcher compares as is.
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class), useSSA = BooleanWithUndefined.TRUE)
public class GeneratedSecretDependent extends ApplicationChild<Secret> {
    public static final String ROTATED_AT = Annotations.ROTATED_AT;
    /** The uid of the Application the values were last applied for. */
    public static final String GENERATED_FOR = Annotations.GENERATED_FOR;
    /**
     * spec.generatedSecretsRetention as applied (Delete or Retain; Retain: no owner reference, never
     * deleted by Runway), so kubectl shows why a Secret outlives its Application.
     */
    public static final String RETENTION = Annotations.RETENTION;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public GeneratedSecretDependent() {
        super(Secret.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.generatedSecret(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return app.getSpec().generatedSecrets != null && !app.getSpec().generatedSecrets.isEmpty();
    }

    @Override
    public Secret planned(Application app, ApplicationPlan plan) {
        return build(app, plan, Map.of());
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
                    .withName(ApplicationNames.generatedSecret(app))
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, "generated-secret", plan.environment()))
                .endMetadata()
                .withType("Opaque")
                .withData(data);
        if (plan.secretsRotatedAt() != null) {
            builder.editMetadata().addToAnnotations(ROTATED_AT, plan.secretsRotatedAt()).endMetadata();
        }
        if (app.getMetadata().getUid() != null) {
            builder.editMetadata().addToAnnotations(GENERATED_FOR, app.getMetadata().getUid()).endMetadata();
        }
        builder.editMetadata().addToAnnotations(RETENTION, (retained(app) ? SecretRetention.Retain : SecretRetention.Delete).name())
                .endMetadata();
        return builder.build();
    }

    static boolean retained(Application app) {
        return app.getSpec().generatedSecretsRetention == SecretRetention.Retain;
    }

    /** Retained: no owner reference, so deleting the Application leaves the Secret. */
    @Override
    protected void addReferenceHandlingMetadata(Secret desired, Application app) {
        if (!retained(app)) {
            super.addReferenceHandlingMetadata(desired, app);
        }
    }

    /** Retained: emptying spec.generatedSecrets leaves the Secret too. */
    @Override
    protected void handleDelete(Application app, Secret secret, Context<Application> context) {
        if (!retained(app)) {
            super.handleDelete(app, secret, context);
        }
    }

    /**
     * By name, not by owner reference: a retained Secret has none, and its Application must still
     * hear of it being changed or deleted.
     */
    @Override
    protected Optional<SecondaryToPrimaryMapper<Secret>> getSecondaryToPrimaryMapper(EventSourceContext<Application> context) {
        return Optional.of(secret -> {
            String name = secret.getMetadata().getName();
            var labels = secret.getMetadata().getLabels();
            String instance = labels == null ? null : labels.get(Labels.INSTANCE);
            return instance != null && name.equals(instance + ApplicationNames.GENERATED_SECRET_SUFFIX)
                    ? Set.of(new ResourceID(instance, secret.getMetadata().getNamespace()))
                    : Set.of();
        });
    }

    /** Where the values the pods get come from, as this reconcile finds them (before it applies anything). */
    public enum Origin {
        /** First generated for this Application. */
        GENERATED,
        /** The Secret exists and was applied for this Application: values kept. */
        KEPT,
        /** The Secret was left by an earlier Application of the same name (Retain): its values are kept. */
        ADOPTED,
        /** The Secret this Application had generated is gone: new values replace the lost ones. */
        REGENERATED,
        /** runway.dev/rotate-secrets: every value is replaced on purpose. */
        ROTATED
    }

    /**
     * @param generated   the Secret as the informer has it, if it exists
     * @param hadValues   whether this Application already generated values (its status says so)
     */
    static Origin origin(Application app, Optional<Secret> generated, boolean rotate, boolean hadValues) {
        if (rotate) {
            return Origin.ROTATED;
        }
        if (generated.isEmpty()) {
            return hadValues ? Origin.REGENERATED : Origin.GENERATED;
        }
        var annotations = generated.get().getMetadata().getAnnotations();
        String appliedFor = annotations == null ? null : annotations.get(GENERATED_FOR);
        String uid = app.getMetadata().getUid();
        return appliedFor != null && uid != null && !appliedFor.equals(uid) ? Origin.ADOPTED : Origin.KEPT;
    }

    static String random(int length) {
        char[] value = new char[length];
        for (int i = 0; i < length; i++) {
            value[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(value);
    }
}
