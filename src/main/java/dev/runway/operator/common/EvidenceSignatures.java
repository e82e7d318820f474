package dev.runway.operator.common;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Evidence;

/**
 * Signs and checks promotion evidence (status.evidence of an Application) with the operator's
 * keyed hash ({@link ConfigHashKey}, a Secret only the operator reads): an entry written or edited
 * by anyone else through the status subresource, or copied from another Application, does not
 * verify and is no evidence.
 */
public final class EvidenceSignatures {
    private EvidenceSignatures() {
    }

    public static String sign(byte[] key, Application app, Evidence e) {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("purpose", "promotion-evidence");
        fields.put("uid", app.getMetadata().getUid());
        fields.put("namespace", app.getMetadata().getNamespace());
        fields.put("name", app.getMetadata().getName());
        fields.put("image", e.image);
        fields.put("digest", e.digest);
        fields.put("healthyAt", e.healthyAt);
        fields.put("retiredAt", e.retiredAt);
        fields.put("failed", Boolean.TRUE.equals(e.failed));
        return Hashes.keyedOfMap(key, fields, 32);
    }

    public static boolean valid(byte[] key, Application app, Evidence e) {
        return e.signature != null && MessageDigest.isEqual(sign(key, app, e).getBytes(StandardCharsets.UTF_8),
                e.signature.getBytes(StandardCharsets.UTF_8));
    }
}
