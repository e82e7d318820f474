package dev.runway.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn package})
 * running as a separate process against the test cluster, in the prod profile as the chart runs it
 * (leader election on, a build-time choice of that profile; JSON logs). For tests that must kill, restart or duplicate the operator, or
 * measure its memory: in-JVM {@code @QuarkusTest}s cannot do that honestly.
 *
 * <p>Every instance sends its own User-Agent ({@code runway-operator/<name>}), so the API server's
 * audit log ({@link AuditLog}) attributes each write to the instance that made it.
 */
public final class OperatorProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private final Path kubeconfig;
    private final Path logFile;
    private int port;
    private Process process;

    private OperatorProcess(String name, Map<String, String> properties, List<String> jvmOptions, Path kubeconfig) {
        this.name = name;
        this.properties = properties;
        this.jvmOptions = jvmOptions;
        this.kubeconfig = kubeconfig;
        this.port = freePort();
        try {
            Path dir = LocalControlPlane.repoRoot().resolve("target/operator-processes");
            Files.createDirectories(dir);
            this.logFile = dir.resolve(name + ".log");
            Files.deleteIfExists(logFile); // a new instance, a new log; a restart appends

        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An operator process named {@code name} (its log file and User-Agent carry the name). */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** The User-Agent this instance's Kubernetes client sends, as the audit log records it. */
    public String userAgent() {
        return "runway-operator/" + name;
    }

    public String name() {
        return name;
    }

    /** Starts the process (appending to its log file, so a restart keeps the earlier lines). */
    public OperatorProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        if (!bindable(port)) {
            port = freePort(); // a restart, and something else took the port meanwhile
        }
        // runway.test.operator-jar: another build's jar, for before/after measurements (make bench-secrets).
        String otherJar = System.getProperty("runway.test.operator-jar", "");
        Path jar = otherJar.isBlank() ? LocalControlPlane.repoRoot().resolve("target/quarkus-app/quarkus-run.jar") : Path.of(otherJar);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after `mvn package` (failsafe, mvn verify)");
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome().resolve("bin/java").toString());
        command.addAll(jvmOptions);
        command.add("-Dkubernetes.user.agent=" + userAgent());
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        // The chart's JVM settings (values.yaml jvm.*); options given to the builder come later on
        // the command line and win.
        builder.environment().putAll(HelmChart.operatorJvmEnvironment());
        // JOSDK's leader-election identity is $HOSTNAME (the pod name in a cluster): two processes
        // on one machine must not share it, or both would take the Lease for their own.
        builder.environment().put("HOSTNAME", name);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        return this;
    }

    /**
     * The JDK the process runs on: {@code runway.test.operator-java} (a JDK's home directory, e.g. to
     * measure another Java release, {@code make bench BENCH_JAVA=...}), else the one running the tests.
     * Its {@code bin/jcmd} is the one to attach with.
     */
    public static Path javaHome() {
        String other = System.getProperty("runway.test.operator-java", "");
        return Path.of(other.isBlank() ? System.getProperty("java.home") : other);
    }

    /** The runtime version of {@link #javaHome()} (its {@code release} file's JAVA_RUNTIME_VERSION, else JAVA_VERSION). */
    public static String javaVersion() {
        try {
            List<String> lines = Files.readAllLines(javaHome().resolve("release"));
            for (String key : List.of("JAVA_RUNTIME_VERSION=", "JAVA_VERSION=")) {
                for (String line : lines) {
                    if (line.startsWith(key)) {
                        return line.substring(key.length()).replace("\"", "");
                    }
                }
            }
            return "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Waits until {@code /q/health/ready} answers 200 (every controller started, informers synced). */
    public OperatorProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + firstError() + "; see " + logFile);
            }
            if (health("ready") == 200) {
                return this;
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + logFile);
    }

    /** HTTP status of {@code /q/health/<probe>}, or -1 when nothing answers. */
    public int health(String probe) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri("/q/health/" + probe))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The Prometheus exposition text of {@code /q/metrics}. */
    public String metrics() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hooks, no lease release, as when a node dies or the OOM killer strikes. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM: the graceful shutdown Kubernetes asks of a pod (SIGKILL after 60 s, as {@link #terminate}). */
    public void stop() {
        if (process != null) {
            terminate(Duration.ofSeconds(60));
        }
    }

    /**
     * SIGTERM and wait up to {@code grace} (the kubelet's terminationGracePeriodSeconds) for the exit;
     * returns the exit code, or empty when the process was still running and had to be SIGKILLed.
     */
    public Optional<Integer> terminate(Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(process.exitValue());
            }
            process.destroyForcibly().waitFor();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Resident set size of the process in KiB, from {@code /proc/<pid>/status}. */
    public Optional<Long> rssKiB() {
        return rssKiB(pid());
    }

    /** Resident set size of any process on this machine in KiB, from {@code /proc/<pid>/status}; empty once it is gone. */
    public static Optional<Long> rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** User plus system CPU seconds a process on this machine has used, from {@code /proc/<pid>/stat} (ticks of 1/100 s). */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    public Path logFile() {
        return logFile;
    }

    /** The log so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * The first ERROR of the log (its message and its exception's), else its last line: what a
     * failed start says, in the exception a CI summary prints.
     */
    String firstError() {
        List<String> lines = log().lines().filter(l -> !l.isBlank()).toList();
        for (String line : lines) {
            if (line.contains("\"level\":\"ERROR\"")) {
                try {
                    com.fasterxml.jackson.databind.JsonNode entry = JSON.readTree(line);
                    String exception = entry.path("exception").path("exceptionType").asText("") + " "
                            + entry.path("exception").path("message").asText("");
                    return abbreviate(entry.path("message").asText() + (exception.isBlank() ? "" : " (" + exception.trim() + ")"));
                } catch (IOException e) {
                    return abbreviate(line);
                }
            }
            if (line.contains(" ERROR ")) {
                return abbreviate(line);
            }
        }
        return lines.isEmpty() ? "(empty log)" : "last line: " + abbreviate(lines.get(lines.size() - 1));
    }

    private static String abbreviate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "…";
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * A free port below the kernel's ephemeral range (32768-60999 here): a port taken from that
     * range (bind to 0) can be handed to another process's outgoing connection between this check
     * and the operator's bind, which then fails to start.
     */
    static int freePort() {
        int ephemeralLow = 32_768;
        try {
            ephemeralLow = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the usual default
        }
        if (ephemeralLow > 12_000) {
            // Above the test cluster's ports (RUNWAY_PORT_BASE, 16400 and the next hundred), below NodePorts (30000+).
            int low = Math.max(22_000, ephemeralLow - 8_000);
            int high = Math.min(ephemeralLow, 30_000);
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 200 && high > low; attempt++) {
                int candidate = low + random.nextInt(high - low);
                if (bindable(candidate)) {
                    return candidate;
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a listener could take the port now (as Quarkus binds it: all addresses, address reuse on). */
    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configuration of an {@link OperatorProcess}: any {@code runway.*} or {@code quarkus.*} property. */
    public static final class Builder {
        private final String name;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private Path kubeconfig;

        private Builder(String name) {
            this.name = name;
        }

        /** A system property, e.g. {@code runway.leader-election.lease-namespace}. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Where the leader-election Lease lives: tests give each scenario its own namespace. */
        public Builder leaseNamespace(String namespace) {
            return property("runway.leader-election.lease-namespace", namespace);
        }

        /** Another kubeconfig than the test cluster's, e.g. one pointing at a fault-injecting proxy. */
        public Builder kubeconfig(Path kubeconfig) {
            this.kubeconfig = kubeconfig;
            return this;
        }

        public OperatorProcess build() {
            return new OperatorProcess(name, Map.copyOf(properties), List.copyOf(jvmOptions),
                    kubeconfig != null ? kubeconfig : LocalControlPlane.kubeconfig());
        }
    }
}
