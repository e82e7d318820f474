package dev.runway.operator.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Short, stable content hashes for pod-template annotations and generated names. */
public final class Hashes {
    private Hashes() {
    }

    /** SHA-256 of the map's entries in key order, as the first {@code length} hex digits. */
    public static String ofMap(Map<String, ?> values, int length) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(values).forEach((k, v) -> text.append(k).append('\u0000').append(v).append('\u0001'));
        return of(text.toString(), length);
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
