package dev.runway.operator.common;

import java.util.ArrayList;
import java.util.List;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec;
import dev.runway.operator.api.v1alpha1.ExtraContainer;
import dev.runway.operator.api.v1alpha1.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/** The volumes of an Application's pod and where each container mounts them. */
public final class PodVolumes {
    /** Runway's writable /tmp, an emptyDir every container may mount. */
    public static final String TMP = "tmp";

    private PodVolumes() {
    }

    /** Name of the PVC Runway creates for a claim volume. */
    public static String claimName(Application app, Volume volume) {
        return volume.claim != null ? app.getMetadata().getName() + "-" + volume.name
                : volume.persistentVolumeClaim != null ? volume.persistentVolumeClaim.claimName : null;
    }

    /** tmp first, then spec.volumes in their order. */
    public static List<io.fabric8.kubernetes.api.model.Volume> of(Application app) {
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(TMP).withNewEmptyDir().endEmptyDir().build());
        for (Volume v : volumes(app.getSpec())) {
            VolumeBuilder b = new VolumeBuilder().withName(v.name);
            if (v.emptyDir != null) {
                b.withNewEmptyDir().withMedium(v.emptyDir.medium == null ? null : v.emptyDir.medium.name())
                        .withSizeLimit(v.emptyDir.sizeLimit == null ? null : new io.fabric8.kubernetes.api.model.Quantity(v.emptyDir.sizeLimit)).endEmptyDir();
            } else if (v.configMap != null) {
                b.withNewConfigMap().withName(v.configMap.name).withOptional(v.configMap.optional).endConfigMap();
            } else if (v.secret != null) {
                b.withNewSecret().withSecretName(v.secret.name).withOptional(v.secret.optional).endSecret();
            } else {
                b.withNewPersistentVolumeClaim().withClaimName(claimName(app, v)).endPersistentVolumeClaim();
            }
            volumes.add(b.build());
        }
        return volumes;
    }

    /** The app container's mounts: /tmp, then every volume at its mountPath. */
    public static List<VolumeMount> appMounts(ApplicationSpec spec) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(mount(TMP, "/tmp", false));
        for (Volume v : volumes(spec)) {
            mounts.add(mount(v.name, v.mountPath, v.mountedReadOnly()));
        }
        return mounts;
    }

    /** An init container's or sidecar's mounts, as it lists them; /tmp unless it mounts tmp itself. */
    public static List<VolumeMount> mountsOf(ExtraContainer container) {
        List<VolumeMount> mounts = new ArrayList<>();
        List<ExtraContainer.Mount> own = container.volumeMounts == null ? List.of() : container.volumeMounts;
        if (own.stream().noneMatch(m -> TMP.equals(m.name))) {
            mounts.add(mount(TMP, "/tmp", false));
        }
        for (ExtraContainer.Mount m : own) {
            mounts.add(mount(m.name, m.mountPath, Boolean.TRUE.equals(m.readOnly)));
        }
        return mounts;
    }

    // readOnly is a plain bool the API server drops when false: sending false would look like drift.
    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? Boolean.TRUE : null).build();
    }

    private static List<Volume> volumes(ApplicationSpec spec) {
        return spec.volumes == null ? List.of() : spec.volumes;
    }
}
