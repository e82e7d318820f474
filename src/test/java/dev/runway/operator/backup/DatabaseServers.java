package dev.runway.operator.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL and MariaDB servers of {@code hack/databases.sh}, started once per test JVM. Servers
 * that already ran are reused and left running; the ones started here are stopped when the JVM exits.
 * Public for the migration environment contract (migration/MigrationEnvironmentContractTest).
 */
public final class DatabaseServers {
    private static final Path SCRIPT = Processes.REPO.resolve("hack/databases.sh");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static DatabaseServers instance;

    public final String host;
    public final int postgresPort;
    public final int mariadbPort;
    public final String user;
    private final String password;

    private DatabaseServers(Map<String, String> env, String password) {
        this.host = env.get("RUNWAY_PG_HOST");
        this.postgresPort = Integer.parseInt(env.get("RUNWAY_PG_PORT"));
        this.mariadbPort = Integer.parseInt(env.get("RUNWAY_MARIADB_PORT"));
        this.user = env.get("RUNWAY_PG_USER");
        this.password = password;
    }

    /** The superuser's password; for the environment of client processes, never for output. */
    public String password() {
        return password;
    }

    public static synchronized DatabaseServers get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static DatabaseServers start() {
        List<String> toStart = new ArrayList<>();
        for (String engine : List.of("postgresql", "mariadb")) {
            if (databases("status", engine).exitCode() != 0) {
                toStart.add(engine);
            }
        }
        if (!toStart.isEmpty()) {
            List<String> up = new ArrayList<>(List.of("up"));
            up.addAll(toStart);
            Processes.Result started = databases(up.toArray(String[]::new));
            if (started.exitCode() != 0) {
                throw new IllegalStateException("hack/databases.sh up failed (are the packages of "
                        + "'hack/databases.sh packages' installed?)\n" + started);
            }
            List<String> down = new ArrayList<>(List.of("down"));
            down.addAll(toStart);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> databases(down.toArray(String[]::new))));
        }
        Map<String, String> env = new HashMap<>();
        for (String line : databases("env").stdout().lines().toList()) {
            String assignment = line.startsWith("export ") ? line.substring("export ".length()) : line;
            int eq = assignment.indexOf('=');
            if (eq > 0) {
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            }
        }
        try {
            String password = Files.readString(Path.of(env.get("RUNWAY_DB_PASSWORD_FILE")), StandardCharsets.UTF_8).trim();
            return new DatabaseServers(env, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the password file named by hack/databases.sh env", e);
        }
    }

    private static Processes.Result databases(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return Processes.runInherited(command, Map.of(), TIMEOUT);
    }
}
