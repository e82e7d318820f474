package dev.runway.operator.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec;
import dev.runway.operator.api.v1alpha1.Probes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The pod template of an Application, shared by the Deployment and the Rollout so both strategies
 * run exactly the same pods.
 */
public final class PodTemplates {
    public static final String APP_CONTAINER = "app";
    public static final int DEFAULT_PORT = 8080;

    private PodTemplates() {
    }

    /**
     * @param image      the image to run (spec.image, or the last good one while a new one is held)
     * @param envFrom    ConfigMaps and Secrets to expose as environment variables, in precedence order
     * @param configHash hash of the effective configuration; a change rolls the pods
     */
    public static PodTemplateSpec forApplication(Application app, String environment, String image, List<EnvFromSource> envFrom,
            String configHash, Map<String, String> extraAnnotations) {
        ApplicationSpec spec = app.getSpec();
        int port = port(spec);
        Container container = new ContainerBuilder()
                .withName(APP_CONTAINER)
                .withImage(image)
                .addNewPort().withName("http").withContainerPort(port).withProtocol("TCP").endPort()
                .withEnvFrom(envFrom)
                .withResources(resources(spec))
                .withLivenessProbe(probe(spec.probes == null ? null : spec.probes.liveness, "/health", port, true))
                .withReadinessProbe(probe(spec.probes == null ? null : spec.probes.readiness, "/ready", port, true))
                .withStartupProbe(probe(spec.probes == null ? null : spec.probes.startup, null, port, false))
                .withSecurityContext(restrictedContainerSecurity())
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                    .withLabels(Labels.standard(app, "app", environment))
                    .addToAnnotations(Labels.CONFIG_HASH_ANNOTATION, configHash)
                    .addToAnnotations(extraAnnotations == null ? Map.of() : extraAnnotations)
                .endMetadata()
                .withNewSpec()
                    .withContainers(container)
                    .withSecurityContext(new PodSecurityContextBuilder()
                            .withRunAsNonRoot(true)
                            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .build())
                    .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec();
        return template.build();
    }

    /** Restricted Pod Security: non-root, no escalation, no capabilities, read-only root. */
    public static SecurityContext restrictedContainerSecurity() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withRunAsNonRoot(true)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    public static int port(ApplicationSpec spec) {
        return spec.port == null ? DEFAULT_PORT : spec.port;
    }

    public static EnvFromSource configMapEnv(String name) {
        return new EnvFromSourceBuilder().withNewConfigMapRef().withName(name).endConfigMapRef().build();
    }

    public static EnvFromSource secretEnv(String name) {
        return new EnvFromSourceBuilder().withNewSecretRef().withName(name).endSecretRef().build();
    }

    private static Probe probe(Probes.Probe probe, String defaultPath, int appPort, boolean onByDefault) {
        boolean enabled = probe == null ? onByDefault : probe.enabled == null || probe.enabled;
        String path = probe != null && probe.path != null ? probe.path : defaultPath;
        if (!enabled || path == null) {
            return null;
        }
        ProbeBuilder builder = new ProbeBuilder()
                .withNewHttpGet().withPath(path).withNewPort(probe != null && probe.port != null ? probe.port : appPort)
                .withScheme("HTTP").endHttpGet();
        // Explicit values for the timing fields the API server defaults, and leaving them unset
        // would make each reconcile see a difference that is not there. initialDelaySeconds is
        // the opposite: not defaulted, and a 0 is dropped on the way in (omitempty), so a 0 sent
        // is a 0 the server never shows back: the SSA matcher would see a difference on every
        // reconcile and patch the workload (a no-op write, but a write at rest).
        int initialDelay = probe != null && probe.initialDelaySeconds != null ? probe.initialDelaySeconds : 0;
        builder.withInitialDelaySeconds(initialDelay == 0 ? null : initialDelay)
                .withPeriodSeconds(probe != null && probe.periodSeconds != null ? probe.periodSeconds : 10)
                .withTimeoutSeconds(probe != null && probe.timeoutSeconds != null ? probe.timeoutSeconds : 1)
                .withFailureThreshold(probe != null && probe.failureThreshold != null ? probe.failureThreshold : 3)
                .withSuccessThreshold(1);
        return builder.build();
    }

    private static ResourceRequirements resources(ApplicationSpec spec) {
        if (spec.resources == null) {
            return null;
        }
        ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
        if (spec.resources.requests != null) {
            builder.withRequests(amounts(spec.resources.requests));
        }
        if (spec.resources.limits != null) {
            builder.withLimits(amounts(spec.resources.limits));
        }
        return builder.build();
    }

    private static Map<String, Quantity> amounts(dev.runway.operator.api.v1alpha1.Resources.Amounts amounts) {
        Map<String, Quantity> map = new java.util.LinkedHashMap<>();
        if (amounts.cpu != null) {
            map.put("cpu", amounts.cpu);
        }
        if (amounts.memory != null) {
            map.put("memory", amounts.memory);
        }
        return map;
    }

    /** Secret and ConfigMap names an Application's pods read, for watching and hashing. */
    public static List<String> referencedSecrets(ApplicationSpec spec) {
        return spec.secretRefs == null ? List.of() : new ArrayList<>(spec.secretRefs);
    }
}
