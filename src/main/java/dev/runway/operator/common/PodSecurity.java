package dev.runway.operator.common;

import dev.runway.operator.api.v1alpha1.SecurityChoices;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The security contexts of an Application's pod: the restricted Pod Security profile, loosened
 * only where spec.securityContext asks. Running as root keeps the runtime's default capabilities
 * (an image that binds port 80 as root needs NET_BIND_SERVICE, one that drops to a worker user
 * needs SETUID/SETGID), which the baseline profile allows and restricted does not.
 */
public final class PodSecurity {
    private PodSecurity() {
    }

    /** The container security context every container of the pod gets. */
    public static SecurityContext container(SecurityChoices choices) {
        if (choices == null) {
            return PodTemplates.restrictedContainerSecurity();
        }
        SecurityContextBuilder builder = new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(!Boolean.FALSE.equals(choices.readOnlyRootFilesystem))
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
        if (!choices.root()) {
            builder.withRunAsNonRoot(true).withNewCapabilities().withDrop("ALL").endCapabilities();
        }
        return builder.build();
    }

    /** The pod-level security context: who the processes run as and who owns the volumes. */
    public static PodSecurityContext pod(SecurityChoices choices) {
        PodSecurityContextBuilder builder = new PodSecurityContextBuilder()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
        if (choices == null || !choices.root()) {
            builder.withRunAsNonRoot(true);
        }
        if (choices != null) {
            builder.withRunAsUser(choices.runAsUser).withRunAsGroup(choices.runAsGroup).withFsGroup(choices.fsGroup);
        }
        return builder.build();
    }
}
