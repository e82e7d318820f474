package dev.runway.operator.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Short, stable content hashes for pod-template annotations and generated names; keyed ones for config. */
public final class Hashes {
    private Hashes() {
    }

    /** SHA-256 of the map's entries in key order, as the first {@code length} hex digits. */
    public static String ofMap(Map<String, ?> values, int length) {
        return of(entries(values), length);
    }

    /**
     * HMAC-SHA256 under {@code key} of the map's entries in key order, as the first {@code length} hex
     * digits: without the key, a value cannot be tested against the digest.
     */
    public static String keyedOfMap(byte[] key, Map<String, ?> values, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(entries(values).getBytes(StandardCharsets.UTF_8))).substring(0, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static String entries(Map<String, ?> values) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(values).forEach((k, v) -> text.append(k).append('\u0000').append(v).append('\u0001'));
        return text.toString();
    }

    public static String of(String text, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
