package dev.runway.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Golden-file tests of desired state: {@code src/test/resources/desired/<kind>/<case>/in-*.yaml}
 * go in, {@code out-<Kind>-<name>.yaml} must come out. {@code -Drunway.golden.update=true}
 * rewrites the outputs (review the diff before committing).
 */
public final class GoldenFiles {
    public static final Path ROOT = Path.of("src/test/resources/desired");
    private static final boolean UPDATE = Boolean.getBoolean("runway.golden.update");

    private GoldenFiles() {
    }

    /** The case directories of one kind. */
    public static List<Path> cases(String kind) {
        try (Stream<Path> dirs = Files.list(ROOT.resolve(kind))) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(Path caseDir, String file, Class<T> type) {
        try {
            return Serialization.unmarshal(Files.readString(caseDir.resolve(file)), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean exists(Path caseDir, String file) {
        return Files.exists(caseDir.resolve(file));
    }

    /** Compares the objects with the case's out-*.yaml files: the same set, the same content. */
    public static void assertMatches(Path caseDir, List<? extends HasMetadata> objects) {
        try {
            List<String> expectedNames;
            try (Stream<Path> files = Files.list(caseDir)) {
                expectedNames = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("out-")).sorted().toList();
            }
            List<String> actualNames = objects.stream().map(GoldenFiles::fileName).sorted().toList();
            if (UPDATE) {
                for (String stale : expectedNames) {
                    if (!actualNames.contains(stale)) {
                        Files.delete(caseDir.resolve(stale));
                    }
                }
                for (HasMetadata o : objects) {
                    Files.writeString(caseDir.resolve(fileName(o)), Serialization.asYaml(o));
                }
                return;
            }
            assertThat(actualNames).as("children built for %s", caseDir.getFileName()).isEqualTo(expectedNames);
            for (HasMetadata o : objects) {
                assertThat(Serialization.asYaml(o)).as("%s/%s (rerun with -Drunway.golden.update=true to accept a change)",
                        caseDir.getFileName(), fileName(o)).isEqualTo(Files.readString(caseDir.resolve(fileName(o))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fileName(HasMetadata o) {
        return "out-" + o.getKind() + "-" + o.getMetadata().getName() + ".yaml";
    }
}
