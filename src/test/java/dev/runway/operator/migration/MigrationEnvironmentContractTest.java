package dev.runway.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.BackupPolicySpec.Database.Engine;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.backup.DatabaseServers;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The environment the migration container gets, proven against real servers: the EnvVar list is
 * taken from the Job the operator builds, resolved as the kubelet resolves it (secretKeyRefs from
 * the Secret, then {@code $(VAR)} references to variables defined earlier), and the real psql and
 * mariadb clients connect with it and run a tiny migration. Passwords travel in the environment only.
 */
@Tag(Tiers.DATABASE)
class MigrationEnvironmentContractTest {
    static final DatabaseServers SERVERS = DatabaseServers.get();

    @Test
    void postgresqlClientsConnectWithTheContainerEnvironment() throws Exception {
        String database = "mig_" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> admin = Map.of("PGHOST", SERVERS.host, "PGPORT", Integer.toString(SERVERS.postgresPort), "PGUSER", SERVERS.user,
                "PGPASSWORD", SERVERS.password(), "PGDATABASE", "postgres");
        run(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE " + database), admin);
        try {
            Map<String, String> env = containerEnvironment(Engine.PostgreSQL, database, SERVERS.postgresPort);
            assertThat(env).containsEntry("PGDATABASE", database).containsKey("PGPASSWORD");
            // The migration, as a tool using libpq's own variables would run it.
            run(List.of("psql", "-X", "-v", "ON_ERROR_STOP=1", "-c",
                    "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'first');"), env);
            // DATABASE_URL, as composed by $(VAR) expansion, names the same server, database and credentials.
            Map<String, String> fromUrl = fromUrl(env.get("DATABASE_URL"), "postgresql", "PG", "PGPASSWORD", "PGPORT");
            assertThat(run(List.of("psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", "SELECT item FROM orders WHERE id = 1"), fromUrl).trim())
                    .isEqualTo("first");
        } finally {
            run(List.of("psql", "-X", "-c", "DROP DATABASE IF EXISTS " + database), admin);
        }
    }

    @Test
    void mariadbClientConnectsWithTheContainerEnvironment() throws Exception {
        String database = "mig_" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> admin = Map.of("MYSQL_HOST", SERVERS.host, "MYSQL_TCP_PORT", Integer.toString(SERVERS.mariadbPort),
                "MYSQL_PWD", SERVERS.password(), "MYSQL_USER", SERVERS.user, "MYSQL_DATABASE", "");
        mariadb(admin, "CREATE DATABASE " + database);
        try {
            Map<String, String> env = containerEnvironment(Engine.MySQL, database, SERVERS.mariadbPort);
            mariadb(env, "CREATE TABLE orders (id int PRIMARY KEY, item varchar(32)); INSERT INTO orders VALUES (1, 'first');");
            assertThat(mariadb(env, "SELECT item FROM orders WHERE id = 1").trim()).isEqualTo("first");
            Map<String, String> fromUrl = fromUrl(env.get("DATABASE_URL"), "mysql", "MYSQL_", "MYSQL_PWD", "MYSQL_TCP_PORT");
            assertThat(mariadb(fromUrl, "SELECT count(*) FROM orders").trim()).isEqualTo("1");
        } finally {
            mariadb(admin, "DROP DATABASE IF EXISTS " + database);
        }
    }

    /** The resolved environment of the migration container for a Secret pointing at {@code database}. */
    static Map<String, String> containerEnvironment(Engine engine, String database, int port) {
        MigrationJob mj = Serialization.unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: MigrationJob
                metadata: {name: contract, namespace: shop, uid: 00000000-0000-4000-8000-000000000000}
                spec:
                  image: example.com/shop:2
                  command: [migrate]
                  databaseSecretRef: shop-db
                  env: {APP_MODE: migrate}
                """, MigrationJob.class);
        Map<String, String> secret = Map.of("host", SERVERS.host, "port", Integer.toString(port), "database", database,
                "username", SERVERS.user, "password", SERVERS.password(), "engine", engine.name());
        List<EnvVar> declared = MigrationJobFactory.migrate(mj, engine).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        return resolve(declared, Map.of("shop-db", secret));
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /**
     * What the kubelet does with a container's env: in order, secretKeyRef values from the Secret (a
     * missing Secret or key fails the container), plain values with {@code $(VAR)} replaced by
     * variables defined earlier in the list, {@code $$} escaping a dollar, unknown references left as written.
     */
    static Map<String, String> resolve(List<EnvVar> env, Map<String, Map<String, String>> secrets) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (EnvVar var : env) {
            if (var.getValueFrom() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                assertThat(ref).as("only secretKeyRefs are expected in %s", var.getName()).isNotNull();
                Map<String, String> secret = secrets.get(ref.getName());
                assertThat(secret).as("Secret %s", ref.getName()).isNotNull();
                assertThat(secret).as("Secret %s key %s", ref.getName(), ref.getKey()).containsKey(ref.getKey());
                resolved.put(var.getName(), secret.get(ref.getKey()));
            } else {
                Matcher m = REFERENCE.matcher(var.getValue() == null ? "" : var.getValue());
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String replacement = m.group().equals("$$") ? "$"
                            : resolved.containsKey(m.group(1)) ? resolved.get(m.group(1)) : m.group();
                    m.appendReplacement(out, Matcher.quoteReplacement(replacement));
                }
                m.appendTail(out);
                resolved.put(var.getName(), out.toString());
            }
        }
        return resolved;
    }

    @Test
    void theResolverExpandsLikeTheKubelet() {
        Map<String, String> env = resolve(List.of(
                new EnvVar("A", "x", null), new EnvVar("B", "$(A)-$(C)-$$(A)", null), new EnvVar("C", "late", null)), Map.of());
        assertThat(env).containsEntry("B", "x-$(C)-$(A)");
    }

    /** The client variables named by a DATABASE_URL, and nothing else: proves the URL alone is enough. */
    static Map<String, String> fromUrl(String url, String scheme, String prefix, String passwordVar, String portVar) {
        URI uri = URI.create(url);
        assertThat(uri.getScheme()).isEqualTo(scheme);
        String[] userInfo = uri.getUserInfo().split(":", 2);
        Map<String, String> env = new HashMap<>();
        env.put(prefix + "HOST", uri.getHost());
        env.put(portVar, Integer.toString(uri.getPort()));
        env.put(prefix + "DATABASE", uri.getPath().substring(1));
        env.put(prefix + "USER", userInfo[0]);
        env.put(passwordVar, userInfo[1]);
        return env;
    }

    /** The mariadb client: password and host from the environment (MYSQL_PWD, MYSQL_HOST, MYSQL_TCP_PORT), user and database as arguments. */
    static String mariadb(Map<String, String> env, String sql) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("mariadb", "--protocol=TCP", "--batch", "--skip-column-names",
                "--user=" + env.get("MYSQL_USER")));
        String database = env.get("MYSQL_DATABASE");
        if (database != null && !database.isEmpty()) {
            command.add("--database=" + database);
        }
        command.addAll(List.of("-e", sql));
        return run(command, env);
    }

    /** Runs a client with exactly {@code env} (plus PATH and HOME); fails with its output, which never holds the password. */
    static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> pe = pb.environment();
        String path = pe.get("PATH");
        pe.clear();
        pe.put("PATH", path);
        pe.put("HOME", System.getProperty("java.io.tmpdir"));
        env.forEach((k, v) -> {
            if (!k.equals("HOME")) {
                pe.put(k, v);
            }
        });
        assertThat(String.join(" ", command)).doesNotContain(SERVERS.password());
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("%s finished", command.get(0)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command.get(0), output).isZero();
        return output;
    }
}
