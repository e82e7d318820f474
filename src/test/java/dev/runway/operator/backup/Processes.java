package dev.runway.operator.backup;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's shell scripts and the database clients as real processes. */
final class Processes {
    static final Path REPO = Path.of(System.getProperty("user.dir"));
    static final Path SCRIPTS = REPO.resolve("src/main/resources/backup");

    private Processes() {
    }

    /** What a finished process left: its exit code and everything it wrote. */
    record Result(int exitCode, String stdout, String stderr) {
        /** The last non-blank line of stdout. */
        String lastLine() {
            List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        /** stdout and stderr together, for assertions about what a process said at all. */
        String output() {
            return stdout + "\n" + stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /**
     * Runs COMMAND in the repository with exactly ENV (plus PATH and HOME from this JVM) and STDIN
     * (null: none); waits at most TIMEOUT.
     */
    static Result run(List<String> command, Map<String, String> env, String stdin, Duration timeout) {
        Map<String, String> full = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG")) {
            String value = System.getenv(name);
            if (value != null) {
                full.put(name, value);
            }
        }
        full.putAll(env);
        return runWithEnvironment(command, full, stdin, timeout);
    }

    /** Like {@link #run} but with this JVM's whole environment plus ENV. */
    static Result runInherited(List<String> command, Map<String, String> env, Duration timeout) {
        Map<String, String> full = new HashMap<>(System.getenv());
        full.putAll(env);
        return runWithEnvironment(command, full, null, timeout);
    }

    /** Runs one of the backup scripts (backup.sh, prune.sh, verify.sh) with exactly ENV. */
    static Result script(String name, Map<String, String> env) {
        return run(List.of("bash", SCRIPTS.resolve(name).toString()), env, null, Duration.ofMinutes(3));
    }

    private static Result runWithEnvironment(List<String> command, Map<String, String> env, String stdin,
            Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("runway-proc", ".out");
            err = Files.createTempFile("runway-proc", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            if (stdin == null) {
                builder.redirectInput(new File("/dev/null"));
            }
            Process process = builder.start();
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
