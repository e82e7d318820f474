package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.Hashes;
import dev.runway.operator.common.SecretCaches;
import dev.runway.operator.common.TierDefaults;
import dev.runway.operator.environment.PromotionGate;
import dev.runway.operator.migration.MigrationGate;
import io.fabric8.kubernetes.api.model.Secret;

/** Decides an Application's {@link ApplicationPlan} from what the informers hold. Pure: no API calls. */
public final class ApplicationPlanner {
    public static final String RESTART_ANNOTATION = Annotations.RESTART;
    public static final String ROTATE_SECRETS_ANNOTATION = Annotations.ROTATE_SECRETS;

    private ApplicationPlanner() {
    }

    /**
     * What may hold spec.image back, read by the reconciler before planning: each becomes a
     * {@link Hold} when it applies (the planner decides which comes first).
     *
     * @param soak              why the Environment's upstream evidence does not admit spec.image yet (environment/PromotionGate)
     * @param migration         the migration gate's decision for spec.image (migration/MigrationGate)
     * @param migrationJob      the MigrationJob of spec.image, if it exists (its backup is one of the checks)
     * @param approvalRequested runway.dev/promote is set on the Application
     */
    public record Gates(Optional<PromotionGate.Hold> soak, MigrationGate.Decision migration, Optional<MigrationJob> migrationJob,
            boolean approvalRequested) {
        public static final Gates NONE = new Gates(Optional.empty(), MigrationGate.Decision.NONE, Optional.empty(), false);

        public static Gates soakOnly(Optional<PromotionGate.Hold> soak) {
            return new Gates(soak, MigrationGate.Decision.NONE, Optional.empty(), false);
        }
    }

    /**
     * @param environment the Environment whose namespace holds the Application, if any
     * @param referenced  the referenced Secrets that exist, by name
     * @param generated   the generated-values Secret, if it exists
     * @param restartedAt the restart time on the running workload's pod template, if any
     * @param promotion   why the Environment's promotion gate holds spec.image back (environment/PromotionGate), if it does
     * @param hashKey     the operator's config-hash key (common/ConfigHashKey)
     */
    public static ApplicationPlan plan(Application app, Optional<Environment> environment, Map<String, Secret> referenced,
            Optional<Secret> generated, Optional<String> restartedAt, Optional<PromotionGate.Hold> promotion, Instant now,
            byte[] hashKey) {
        return plan(app, environment, referenced, generated, restartedAt, Gates.soakOnly(promotion), now, hashKey, Optional.empty());
    }

    /**
     * As above, with every gate's input, and the namespace's Pod Security enforce level when no
     * Environment manages it (read only for runAsRoot).
     */
    public static ApplicationPlan plan(Application app, Optional<Environment> environment, Map<String, Secret> referenced,
            Optional<Secret> generated, Optional<String> restartedAt, Gates gates, Instant now,
            byte[] hashKey, Optional<String> namespaceLevel) {
        return plan(app, environment, referenced, generated, restartedAt, gates, now, hashKey, namespaceLevel, Optional.empty());
    }

    /** As above, with the switch to a restored database a Restore asks for (application/RestoredData). */
    public static ApplicationPlan plan(Application app, Optional<Environment> environment, Map<String, Secret> referenced,
            Optional<Secret> generated, Optional<String> restartedAt, Gates gates, Instant now,
            byte[] hashKey, Optional<String> namespaceLevel, Optional<ApplicationStatus.RestoredData> restoredData) {
        var spec = app.getSpec();
        ApplicationStatus status = app.getStatus();
        TierDefaults defaults = TierDefaults.of(environment.map(Environment::getSpec).orElse(null));

        Map<String, String> env = new TreeMap<>(Environments.variables(environment.map(Environment::getSpec).orElse(null)));
        if (spec.env != null) {
            env.putAll(spec.env);
        }

        List<String> missing = new ArrayList<>();
        Map<String, String> hashInputs = new TreeMap<>();
        env.forEach((k, v) -> hashInputs.put("env/" + k, v));
        for (String name : spec.secretRefs == null ? List.<String>of() : spec.secretRefs) {
            Secret secret = referenced.get(name);
            if (secret == null) {
                missing.add(name);
            } else {
                hashInputs.put("secret/" + name, SecretCaches.digestOf(secret, hashKey));
            }
        }
        // Generated values change only on rotation, so their keys and rotation time stand in for
        // them: hashing the values would roll the pods a second time right after first creation.
        boolean rotate = annotated(app, ROTATE_SECRETS_ANNOTATION);
        String rotatedAt = rotate ? now.truncatedTo(ChronoUnit.SECONDS).toString()
                : generated.map(s -> s.getMetadata().getAnnotations() == null ? null
                        : s.getMetadata().getAnnotations().get(GeneratedSecretDependent.ROTATED_AT)).orElse(null);
        if (spec.generatedSecrets != null && !spec.generatedSecrets.isEmpty()) {
            spec.generatedSecrets.forEach(g -> hashInputs.put("generated/" + g.key, String.valueOf(g.length)));
            hashInputs.put("generated-rotated-at", String.valueOf(rotatedAt));
        }
        restoredData.filter(r -> Boolean.TRUE.equals(r.applied)).ifPresent(r -> hashInputs.put("restored-data/" + r.configMap, r.database));
        // Keyed: status.configHash and the pod annotation are readable with view, the key is not.
        String configHash = Hashes.keyedOfMap(hashKey, hashInputs, 16);

        // The workload is the record of the last restart: it survives a lost status write.
        String restart = annotated(app, RESTART_ANNOTATION) ? now.truncatedTo(ChronoUnit.SECONDS).toString()
                : restartedAt.orElse(null);

        Hold hold = holdOf(app, configHash, missing.isEmpty(), gates, defaults);
        String stable = status == null ? null : status.stableImage;
        String image = hold == null ? spec.image : stable;
        int replicas = spec.replicas != null ? spec.replicas : defaults.replicas();
        PromotionChecks checks = PromotionChecks.of(app, environment, defaults, gates, hold);
        return new ApplicationPlan(image, hold, env, configHash, missing, replicas, defaults,
                environment.map(e -> e.getMetadata().getName()).orElse(null), restart, rotate, rotatedAt, checks,
                alertLabels(environment), PodSecurityCheck.refusal(app, environment, namespaceLevel).orElse(null), restoredData.orElse(null));
    }

    /**
     * The first hold that applies to spec.image: a rolled-back revision (while the serving image is
     * another), the upstream soak, the migration, the approval. Null: spec.image rolls out.
     */
    static Hold holdOf(Application app, String configHash, boolean secretsPresent, Gates gates, TierDefaults defaults) {
        var spec = app.getSpec();
        ApplicationStatus status = app.getStatus();
        String stable = status == null ? null : status.stableImage;
        var failed = status == null ? null : status.failedRevision;
        if (failed != null && spec.image.equals(failed.image) && configHash.equals(failed.configHash)
                && stable != null && !stable.equals(spec.image)) {
            return new Hold.FailedRevision(failed.image, failed.reason);
        }
        if (gates.soak().isPresent()) {
            return new Hold.Soak(gates.soak().get());
        }
        if (secretsPresent && gates.migration().hold()) {
            return new Hold.Migration(gates.migration());
        }
        if (approvalRequired(app, defaults) && !gates.approvalRequested()) {
            return new Hold.Approval(spec.image, stable, app.getMetadata().getNamespace(), app.getMetadata().getName());
        }
        return null;
    }

    /**
     * Whether spec.image needs runway.dev/promote before it replaces the serving image, outside Argo
     * Rollouts (a blue-green preview waits for it in its own pause). Not for the first image (nothing
     * serves that it could replace, as with Argo Rollouts' first revision), nor for one that already
     * started rolling out (it heads the history: approved, or admitted before approval was required).
     */
    static boolean approvalRequired(Application app, TierDefaults defaults) {
        ApplicationStatus status = app.getStatus();
        if (!defaults.requireApproval() || WorkloadConditions.usesRollout(app) || status == null || status.stableImage == null
                || status.stableImage.equals(app.getSpec().image)) {
            return false;
        }
        return status.history == null || status.history.isEmpty() || !app.getSpec().image.equals(status.history.get(0).image);
    }

    private static Map<String, String> alertLabels(Optional<Environment> environment) {
        var alerting = environment.map(e -> e.getSpec().alerting).orElse(null);
        return alerting == null || alerting.labels == null ? Map.of() : new TreeMap<>(alerting.labels);
    }

    static boolean annotated(Application app, String key) {
        var annotations = app.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(key);
    }
}
