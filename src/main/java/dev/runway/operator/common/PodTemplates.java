package dev.runway.operator.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec;
import dev.runway.operator.api.v1alpha1.ExtraContainer;
import dev.runway.operator.api.v1alpha1.Probes;
import dev.runway.operator.api.v1alpha1.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
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
        return withOverrides(app, environment, image, envFrom, configHash, extraAnnotations).template();
    }

    /** The pod template with spec.podTemplate applied last, and the paths where it replaced what Runway set. */
    public static PodTemplateOverrides.Result withOverrides(Application app, String environment, String image, List<EnvFromSource> envFrom,
            String configHash, Map<String, String> extraAnnotations) {
        return PodTemplateOverrides.apply(runwayTemplate(app, environment, image, envFrom, configHash, extraAnnotations),
                app.getSpec().podTemplate);
    }

    /** The pod template from the Application's fields alone. */
    static PodTemplateSpec runwayTemplate(Application app, String environment, String image, List<EnvFromSource> envFrom,
            String configHash, Map<String, String> extraAnnotations) {
        ApplicationSpec spec = app.getSpec();
        SecurityContext security = PodSecurity.container(spec.securityContext);
        ContainerBuilder main = new ContainerBuilder()
                .withName(APP_CONTAINER)
                .withImage(image)
                .withCommand(spec.command)
                .withArgs(spec.args)
                .withPorts(ports(spec))
                .withEnvFrom(envFrom)
                .withResources(resources(spec.resources))
                .withSecurityContext(security)
                .withVolumeMounts(PodVolumes.appMounts(spec));
        if (!worker(spec)) {
            int port = port(spec);
            main.withLivenessProbe(probe(spec.probes == null ? null : spec.probes.liveness, "/health", port, true))
                    .withReadinessProbe(probe(spec.probes == null ? null : spec.probes.readiness, "/ready", port, true))
                    .withStartupProbe(probe(spec.probes == null ? null : spec.probes.startup, null, port, false));
        }
        List<Container> containers = new ArrayList<>();
        containers.add(main.build());
        extra(spec.sidecars, security).forEach(containers::add);
        Map<String, String> selector = Labels.selector(app);
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
                .withNewMetadata()
                    .withLabels(Labels.standard(app, "app", environment))
                    .addToAnnotations(Labels.CONFIG_HASH_ANNOTATION, configHash)
                    .addToAnnotations(extraAnnotations == null ? Map.of() : extraAnnotations)
                .endMetadata()
                .withNewSpec()
                    .withInitContainers(extra(spec.initContainers, security))
                    .withContainers(containers)
                    .withSecurityContext(PodSecurity.pod(spec.securityContext))
                    .withVolumes(PodVolumes.of(app))
                    .withServiceAccountName(spec.serviceAccountName)
                    .withImagePullSecrets(spec.imagePullSecrets == null ? null
                            : spec.imagePullSecrets.stream().map(r -> new LocalObjectReference(r.name)).toList())
                    .withNodeSelector(spec.nodeSelector == null || spec.nodeSelector.isEmpty() ? null : new TreeMap<>(spec.nodeSelector))
                    .withTolerations(spec.tolerations)
                    .withAffinity(spec.affinity)
                    .withPriorityClassName(spec.priorityClassName)
                    .withTopologySpreadConstraints(spread(spec, selector))
                .endSpec();
        return template.build();
    }

    /** A worker serves no HTTP: no Service, no probes, no http port. */
    public static boolean worker(ApplicationSpec spec) {
        return Boolean.TRUE.equals(spec.worker);
    }

    /** The http port (unless a worker), then spec.ports. */
    private static List<ContainerPort> ports(ApplicationSpec spec) {
        List<ContainerPort> ports = new ArrayList<>();
        if (!worker(spec)) {
            ports.add(new ContainerPortBuilder().withName("http").withContainerPort(port(spec)).withProtocol("TCP").build());
        }
        for (var p : spec.ports == null ? List.<dev.runway.operator.api.v1alpha1.ContainerPort>of() : spec.ports) {
            ports.add(new ContainerPortBuilder().withName(p.name).withContainerPort(p.containerPort)
                    .withProtocol(p.protocol == null ? "TCP" : p.protocol.name()).build());
        }
        return ports;
    }

    /** Init containers or sidecars: the pod's security context, their own env, resources and mounts. */
    private static List<Container> extra(List<ExtraContainer> specs, SecurityContext security) {
        if (specs == null) {
            return List.of();
        }
        return specs.stream().map(c -> new ContainerBuilder()
                .withName(c.name)
                .withImage(c.image)
                .withCommand(c.command)
                .withArgs(c.args)
                .withEnv(c.env == null ? List.of() : new TreeMap<>(c.env).entrySet().stream()
                        .map(e -> new EnvVarBuilder().withName(e.getKey()).withValue(e.getValue()).build()).toList())
                .withResources(resources(c.resources))
                .withSecurityContext(security)
                .withVolumeMounts(PodVolumes.mountsOf(c))
                .build()).toList();
    }

    /**
     * spec.topologySpreadConstraints, with this Application's selector where a constraint has none.
     * Unset: spread over nodes, best effort (ScheduleAnyway: one node still runs every pod). The
     * default is there whatever the replica count, so scaling from 1 to 2 does not change the pod
     * template and roll the pods; with one pod it has no effect.
     */
    static List<TopologySpreadConstraint> spread(ApplicationSpec spec, Map<String, String> selector) {
        if (spec.topologySpreadConstraints != null) {
            // An empty list turns the default off (and is sent as nothing: the API server drops it).
            return spec.topologySpreadConstraints.isEmpty() ? null : spec.topologySpreadConstraints.stream().map(c -> c.getLabelSelector() != null ? c
                    : new TopologySpreadConstraintBuilder(c).withNewLabelSelector().withMatchLabels(selector).endLabelSelector().build())
                    .toList();
        }
        return List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
                .build());
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
        // Explicit values for the timing fields the API server defaults (period, timeout, thresholds):
        // leaving them unset would make each reconcile see a difference that is not there. Not for
        // initialDelaySeconds: the API server drops a 0 (omitempty, no default), so a desired 0 is
        // never in the live object and every reconcile would patch the workload again.
        int initialDelay = probe != null && probe.initialDelaySeconds != null ? probe.initialDelaySeconds : 0;
        builder.withInitialDelaySeconds(initialDelay == 0 ? null : initialDelay)
                .withPeriodSeconds(probe != null && probe.periodSeconds != null ? probe.periodSeconds : 10)
                .withTimeoutSeconds(probe != null && probe.timeoutSeconds != null ? probe.timeoutSeconds : 1)
                .withFailureThreshold(probe != null && probe.failureThreshold != null ? probe.failureThreshold : 3)
                .withSuccessThreshold(1);
        return builder.build();
    }

    private static ResourceRequirements resources(Resources resources) {
        if (resources == null) {
            return null;
        }
        Map<String, Quantity> requests = amounts(resources.requests);
        Map<String, Quantity> limits = amounts(resources.limits);
        // Extended resources are never overcommitted: request and limit are the same.
        if (resources.extended != null) {
            new TreeMap<>(resources.extended).forEach((name, amount) -> {
                requests.put(name, new Quantity(String.valueOf(amount)));
                limits.put(name, new Quantity(String.valueOf(amount)));
            });
        }
        return new ResourceRequirementsBuilder()
                .withRequests(requests.isEmpty() ? null : requests)
                .withLimits(limits.isEmpty() ? null : limits)
                .build();
    }

    private static Map<String, Quantity> amounts(Resources.Amounts amounts) {
        Map<String, Quantity> map = new java.util.LinkedHashMap<>();
        if (amounts == null) {
            return map;
        }
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
