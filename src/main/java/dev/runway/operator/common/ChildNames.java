package dev.runway.operator.common;

/**
 * The one rule for a child's name made of its owner's name and a suffix. Names of Jobs, Services and
 * anything that becomes a label value must stay within 63 characters: a name that would not fits by
 * cutting the owner's name and keeping a hash of it, so two long owner names stay distinct.
 */
public final class ChildNames {
    /** A DNS-1123 label, a DNS-1035 label and a label value share this limit. */
    public static final int MAX = 63;
    static final int HASH = 6;

    private ChildNames() {
    }

    /** {@code <owner>-<suffix>} when that fits in {@link #MAX}; else {@code <cut owner>-<hash of owner>-<suffix>}. */
    public static String child(String owner, String suffix) {
        String full = owner + "-" + suffix;
        if (full.length() <= MAX) {
            return full;
        }
        String hash = Hashes.of(owner, HASH);
        int keep = MAX - suffix.length() - hash.length() - 2;
        return owner.substring(0, keep).replaceAll("[-.]+$", "") + "-" + hash + "-" + suffix;
    }

    /** The longest owner name whose {@code <owner>-<suffix>} is not cut (what admission can allow for a fixed suffix). */
    public static int longestUncut(String suffix) {
        return MAX - 1 - suffix.length();
    }
}
