package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.runway.operator.api.v1alpha1.PodTemplateOverride;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;

/**
 * What in spec.podTemplate a namespace's Pod Security level forbids. Everything else in Runway's
 * pod meets the restricted profile (running as root is {@link PodSecurityCheck}'s first check), so
 * only the escape hatch can bring in what baseline or restricted rejects; the API server would
 * reject each pod when the ReplicaSet makes it, an error that reaches nobody. The checks are those
 * of the Pod Security Standards for the fields spec.podTemplate offers.
 */
final class PodTemplateSecurity {
    /** Capabilities the baseline profile allows a container to add. */
    static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
            "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    /** Volume sources the restricted profile allows. */
    static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");

    private PodTemplateSecurity() {
    }

    /** The fields of spec.podTemplate that {@code level} (baseline or restricted) forbids, as "path: value". */
    static List<String> violations(PodTemplateOverride template, String level) {
        List<String> out = new ArrayList<>();
        if (template == null || template.spec == null || "privileged".equals(level)) {
            return out;
        }
        boolean restricted = "restricted".equals(level);
        var spec = template.spec;
        String pod = "spec.podTemplate.spec.";
        if (spec.volumes != null) {
            for (var v : spec.volumes) {
                if (v.getHostPath() != null) {
                    out.add(pod + "volumes[" + v.getName() + "].hostPath");
                } else if (restricted && otherSource(v)) {
                    out.add(pod + "volumes[" + v.getName() + "] (a source restricted does not allow)");
                }
            }
        }
        if (spec.securityContext != null) {
            unconfined(spec.securityContext.getSeccompProfile(), pod + "securityContext.seccompProfile.type", out);
            if (restricted && Boolean.FALSE.equals(spec.securityContext.getRunAsNonRoot())) {
                out.add(pod + "securityContext.runAsNonRoot: false");
            }
            if (restricted && Long.valueOf(0).equals(spec.securityContext.getRunAsUser())) {
                out.add(pod + "securityContext.runAsUser: 0");
            }
        }
        for (String kind : List.of("containers", "initContainers")) {
            List<Container> containers = "containers".equals(kind) ? spec.containers : spec.initContainers;
            for (Container c : containers == null ? List.<Container>of() : containers) {
                String at = pod + kind + "[" + c.getName() + "].";
                if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
                    out.add(at + "ports[].hostPort");
                }
                container(c.getSecurityContext(), at + "securityContext.", restricted, out);
            }
        }
        return out;
    }

    private static void container(SecurityContext sc, String at, boolean restricted, List<String> out) {
        if (sc == null) {
            return;
        }
        if (Boolean.TRUE.equals(sc.getPrivileged())) {
            out.add(at + "privileged: true");
        }
        if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
            out.add(at + "procMount: " + sc.getProcMount());
        }
        unconfined(sc.getSeccompProfile(), at + "seccompProfile.type", out);
        if (sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null) {
            for (String cap : sc.getCapabilities().getAdd()) {
                String name = cap.startsWith("CAP_") ? cap.substring(4) : cap;
                if (restricted ? !"NET_BIND_SERVICE".equals(name) : !BASELINE_CAPABILITIES.contains(name)) {
                    out.add(at + "capabilities.add: " + cap);
                }
            }
        }
        if (restricted && Boolean.TRUE.equals(sc.getAllowPrivilegeEscalation())) {
            out.add(at + "allowPrivilegeEscalation: true");
        }
        if (restricted && Boolean.FALSE.equals(sc.getRunAsNonRoot())) {
            out.add(at + "runAsNonRoot: false");
        }
        if (restricted && Long.valueOf(0).equals(sc.getRunAsUser())) {
            out.add(at + "runAsUser: 0");
        }
    }

    private static void unconfined(SeccompProfile profile, String at, List<String> out) {
        if (profile != null && "Unconfined".equals(profile.getType())) {
            out.add(at + ": Unconfined");
        }
    }

    /** A volume source other than those restricted allows (and other than hostPath, reported already). */
    private static boolean otherSource(io.fabric8.kubernetes.api.model.Volume v) {
        return v.getConfigMap() == null && v.getCsi() == null && v.getDownwardAPI() == null && v.getEmptyDir() == null
                && v.getEphemeral() == null && v.getPersistentVolumeClaim() == null && v.getProjected() == null && v.getSecret() == null;
    }
}
