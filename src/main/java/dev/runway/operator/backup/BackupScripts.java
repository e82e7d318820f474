package dev.runway.operator.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shell scripts backup and verification pods run, shipped in the operator jar under
 * {@code backup/} and mounted from the {@code <policy>-scripts} ConfigMap at /scripts. Read once,
 * when the class loads: a jar without them cannot do backups and should fail at startup.
 */
public final class BackupScripts {
    /** The files, by name; each becomes a key of the ConfigMap. */
    public static final List<String> FILES = List.of("backup.sh", "lib.sh", "prune.sh", "restore.sh", "verify.sh");
    /** Where the ConfigMap is mounted in the pods. */
    public static final String MOUNT_PATH = "/scripts";

    private static final Map<String, String> CONTENTS = load();

    private BackupScripts() {
    }

    /** File name → content, in name order. */
    public static Map<String, String> all() {
        return CONTENTS;
    }

    private static Map<String, String> load() {
        Map<String, String> scripts = new TreeMap<>();
        for (String file : FILES) {
            String resource = "backup/" + file;
            try (InputStream in = BackupScripts.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("classpath resource " + resource + " is missing from the operator build");
                }
                scripts.put(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return Collections.unmodifiableMap(scripts);
    }
}
