package dev.runway.operator.application;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreStatus;
import dev.runway.operator.common.Informers;
import dev.runway.operator.common.PodTemplates;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * A Restore's spec.switchApplication, seen from the Application: once the Restore succeeded, its
 * ConfigMap (key {@code database}: the restored database) goes into the containers' envFrom right
 * after the database Secret it overrides, where the later source's key wins. The newest succeeded
 * Restore naming the Application counts; when it is deleted the override goes and the pods roll back.
 * The Application's spec is never changed.
 */
final class RestoredData {
    static final String INFORMER = "switching-restores";

    private RestoredData() {
    }

    /** Restores that name an Application in spec.switchApplication. */
    static InformerEventSource<Restore, Application> informer(EventSourceContext<Application> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(Restore.class, Application.class)
                .withName(INFORMER)
                .withSecondaryToPrimaryMapper(r -> r.getSpec() == null || r.getSpec().switchApplication == null ? Set.of()
                        : Set.of(new ResourceID(r.getSpec().switchApplication.name, r.getMetadata().getNamespace())))
                .withPrimaryToSecondaryMapper((Application app) -> Set.of())
                .build(), context);
    }

    /** The switch of APP by the newest succeeded Restore that names it, if any. */
    static Optional<ApplicationStatus.RestoredData> of(Application app, Context<Application> context) {
        String name = app.getMetadata().getName();
        return switchOf(app, Informers.of(context, Restore.class, INFORMER)
                .list(app.getMetadata().getNamespace(), r -> r.getSpec().switchApplication != null
                        && name.equals(r.getSpec().switchApplication.name))
                .toList());
    }

    static Optional<ApplicationStatus.RestoredData> switchOf(Application app, List<Restore> restores) {
        return restores.stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null && r.getStatus() != null
                        && r.getStatus().phase == RestoreStatus.Phase.Succeeded && r.getStatus().dataSwitch != null)
                .max(Comparator.comparing((Restore r) -> r.getMetadata().getCreationTimestamp() == null ? "" : r.getMetadata().getCreationTimestamp())
                        .thenComparing(r -> r.getMetadata().getName()))
                .map(r -> describe(app, r));
    }

    private static ApplicationStatus.RestoredData describe(Application app, Restore restore) {
        RestoreStatus.DataSwitch done = restore.getStatus().dataSwitch;
        ApplicationStatus.RestoredData data = new ApplicationStatus.RestoredData();
        data.restore = restore.getMetadata().getName();
        data.database = done.database;
        data.secret = done.secret;
        data.configMap = done.configMap;
        data.applied = PodTemplates.referencedSecrets(app.getSpec()).contains(done.secret);
        data.message = Boolean.TRUE.equals(data.applied)
                ? "the pods read database " + done.database + ": ConfigMap " + done.configMap + " overrides the key database of Secret "
                        + done.secret + "; to undo, delete Restore " + data.restore + " (database " + done.database + " stays)"
                : "Restore " + data.restore + " switches this Application to database " + done.database + ", but spec.secretRefs does not list Secret "
                        + done.secret + ", whose key database it overrides: nothing switched";
        return data;
    }

    /** ENV_FROM with the switch's ConfigMap right after the Secret it overrides (unchanged without an applied switch). */
    static List<EnvFromSource> overlay(List<EnvFromSource> envFrom, ApplicationStatus.RestoredData data) {
        if (data == null || !Boolean.TRUE.equals(data.applied)) {
            return envFrom;
        }
        List<EnvFromSource> out = new java.util.ArrayList<>();
        for (EnvFromSource source : envFrom) {
            out.add(source);
            if (source.getSecretRef() != null && data.secret.equals(source.getSecretRef().getName())) {
                out.add(PodTemplates.configMapEnv(data.configMap));
            }
        }
        return out;
    }
}
