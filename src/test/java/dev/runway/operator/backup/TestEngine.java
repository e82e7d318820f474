package dev.runway.operator.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One database engine as the tests drive it: through its own command-line client (psql, mariadb),
 * with the password in the client's environment only.
 */
abstract class TestEngine {
    /** The seeded tables and their columns, the same in both engines; "id" orders the rows. */
    static final Map<String, List<String>> TABLES = Map.of(
            "customers", List.of("id", "name", "email", "created_at"),
            "products", List.of("id", "title", "price", "description"),
            "orders", List.of("id", "customer_id", "product_id", "quantity", "note"));
    static final Map<String, Long> SEEDED_ROWS = Map.of("customers", 2003L, "products", 500L, "orders", 5000L);

    final DatabaseServers servers = DatabaseServers.get();

    /** The value of DB_ENGINE for the scripts. */
    abstract String scriptEngine();

    /** The dump file suffix backup.sh gives this engine's dumps. */
    abstract String dumpSuffix();

    abstract int port();

    /** What the server says about a wrong password. */
    abstract String authenticationFailure();

    /** Runs SQL (any number of statements) in DATABASE; returns the client's output, trimmed. */
    abstract String sql(String database, String sql);

    /** Loads a dump made by backup.sh into the existing, empty DATABASE with the engine's client. */
    abstract void restore(Path dump, String database);

    /** SQL that creates and fills the three tables, plus a view, a routine and a trigger. */
    abstract String seedSql();

    /** A query returning one md5 of all rows of TABLE, computed by the server, in id order. */
    abstract String checksumSql(String table, List<String> columns);

    /** Names of the databases whose names start with PREFIX. */
    abstract List<String> databasesStartingWith(String prefix);

    /** A query returning "routines,triggers": how many of each the database has. */
    abstract String routinesAndTriggersSql();

    abstract void createDatabase(String name);

    /** S as a string literal of this engine's SQL. */
    abstract String literal(String s);

    abstract void dropDatabase(String name);

    /** The environment the operator's Jobs give the scripts, for DATABASE on this server. */
    Map<String, String> scriptEnvironment(String database, String password) {
        return Map.of("DB_ENGINE", scriptEngine(), "DB_HOST", servers.host, "DB_PORT", Integer.toString(port()),
                "DB_NAME", database, "DB_USER", servers.user, "DB_PASSWORD", password);
    }

    long rowCount(String database, String table) {
        return Long.parseLong(sql(database, "SELECT count(*) FROM " + table));
    }

    String checksum(String database, String table) {
        return sql(database, checksumSql(table, TABLES.get(table)));
    }

    /** Rows with what breaks naive quoting: quotes, backslashes, tabs, newlines, non-Latin, emoji. */
    static final List<String> AWKWARD_NAMES = List.of("Zoë O'Brien \"the quoted\"", "東京 🚀 back\\slash",
            "tab\there,\nnewline; DROP TABLE customers; --");

    protected Processes.Result client(List<String> command, Map<String, String> env, String stdin) {
        Processes.Result result = Processes.run(command, env, stdin, Duration.ofMinutes(3));
        if (result.exitCode() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + result);
        }
        return result;
    }

    static final class Postgres extends TestEngine {
        @Override
        String scriptEngine() {
            return "PostgreSQL";
        }

        @Override
        String dumpSuffix() {
            return ".pgdump";
        }

        @Override
        int port() {
            return servers.postgresPort;
        }

        @Override
        String authenticationFailure() {
            return "password authentication failed";
        }

        private Map<String, String> env() {
            return Map.of("PGPASSWORD", servers.password(), "PGCLIENTENCODING", "UTF8", "PGCONNECT_TIMEOUT", "20");
        }

        private List<String> connection(String database) {
            return List.of("-h", servers.host, "-p", Integer.toString(port()), "-U", servers.user, "-d", database);
        }

        @Override
        String sql(String database, String sql) {
            List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"));
            command.addAll(connection(database));
            return client(command, env(), sql).stdout().trim();
        }

        @Override
        void restore(Path dump, String database) {
            List<String> command = new ArrayList<>(List.of("pg_restore", "--no-owner", "--exit-on-error"));
            command.addAll(connection(database));
            command.add(dump.toString());
            client(command, env(), null);
        }

        @Override
        void createDatabase(String name) {
            sql("postgres", "CREATE DATABASE " + name + " TEMPLATE template0");
        }

        @Override
        void dropDatabase(String name) {
            sql("postgres", "DROP DATABASE IF EXISTS " + name);
        }

        @Override
        String seedSql() {
            String awkward = IntStream.range(0, AWKWARD_NAMES.size())
                    .mapToObj(i -> "(" + (2001 + i) + ", " + literal(AWKWARD_NAMES.get(i)) + ", NULL, '2024-06-0" + (i + 1) + " 12:00:00')")
                    .collect(Collectors.joining(", "));
            return """
                    CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, email text,
                        created_at timestamp NOT NULL);
                    CREATE TABLE products (id integer PRIMARY KEY, title text NOT NULL, price numeric(10, 2) NOT NULL,
                        description text);
                    CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id),
                        product_id integer NOT NULL REFERENCES products (id), quantity integer NOT NULL, note text);
                    INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.test',
                        timestamp '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 2000) g;
                    INSERT INTO customers VALUES %s;
                    INSERT INTO products SELECT g, 'product ' || g || ' ½ "inch"', g * 1.25, repeat('ab''c', g %% 40)
                        FROM generate_series(1, 500) g;
                    INSERT INTO orders SELECT g, 1 + g %% 2003, 1 + g %% 500, 1 + g %% 7,
                        CASE WHEN g %% 10 = 0 THEN 'note ''' || g || ''' ✓' END FROM generate_series(1, 5000) g;
                    CREATE VIEW big_orders AS SELECT * FROM orders WHERE quantity > 5;
                    CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM orders $$;
                    CREATE FUNCTION default_note() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN NEW.note := coalesce(NEW.note, ''); RETURN NEW; END $$;
                    CREATE TRIGGER orders_default_note BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION default_note();
                    """.formatted(awkward);
        }

        @Override
        String literal(String s) {
            return "E'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t").replace("\n", "\\n") + "'";
        }

        @Override
        String checksumSql(String table, List<String> columns) {
            // Each row as the text of a row value; the server does the md5.
            return "SELECT md5(coalesce(string_agg(row(" + String.join(", ", columns) + ")::text, E'\\n' ORDER BY id), ''))"
                    + " FROM " + table;
        }

        @Override
        List<String> databasesStartingWith(String prefix) {
            return sql("postgres", "SELECT datname FROM pg_database WHERE starts_with(datname, '" + prefix + "')")
                    .lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        String routinesAndTriggersSql() {
            return """
                    SELECT (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                            WHERE n.nspname = 'public') || ',' ||
                           (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal)
                    """;
        }
    }

    static final class MariaDb extends TestEngine {
        @Override
        String scriptEngine() {
            return "MySQL";
        }

        @Override
        String dumpSuffix() {
            return ".sql.gz";
        }

        @Override
        int port() {
            return servers.mariadbPort;
        }

        @Override
        String authenticationFailure() {
            return "Access denied";
        }

        private List<String> command(String database) {
            List<String> command = new ArrayList<>(List.of("mariadb", "--protocol=TCP", "-h", servers.host,
                    "-P", Integer.toString(port()), "-u", servers.user, "--default-character-set=utf8mb4",
                    "--batch", "--skip-column-names"));
            if (database != null) {
                command.add(database);
            }
            return command;
        }

        private Map<String, String> env() {
            return Map.of("MYSQL_PWD", servers.password());
        }

        @Override
        String sql(String database, String sql) {
            return client(command(database), env(), sql).stdout().trim();
        }

        @Override
        void restore(Path dump, String database) {
            // gunzip | mariadb, with the shell only to make the pipe.
            List<String> command = new ArrayList<>(List.of("bash", "-o", "pipefail", "-c",
                    "gzip -dc \"$0\" | \"$@\"", dump.toString()));
            command.addAll(command(database));
            client(command, env(), null);
        }

        @Override
        void createDatabase(String name) {
            sql(null, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }

        @Override
        void dropDatabase(String name) {
            sql(null, "DROP DATABASE IF EXISTS " + name);
        }

        @Override
        String seedSql() {
            // 0..9999 from four copies of the digits; MariaDB has no generate_series.
            String digits = "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
                    + " UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
            String numbers = "(SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 1 AS g FROM " + digits + " a, " + digits
                    + " b, " + digits + " c, " + digits + " e) s";
            String awkward = IntStream.range(0, AWKWARD_NAMES.size())
                    .mapToObj(i -> "(" + (2001 + i) + ", " + literal(AWKWARD_NAMES.get(i)) + ", NULL, '2024-06-0" + (i + 1) + " 12:00:00')")
                    .collect(Collectors.joining(", "));
            return """
                    CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(200) NOT NULL, email VARCHAR(200),
                        created_at DATETIME NOT NULL) DEFAULT CHARSET = utf8mb4;
                    CREATE TABLE products (id INT PRIMARY KEY, title VARCHAR(200) NOT NULL, price DECIMAL(10, 2) NOT NULL,
                        description TEXT) DEFAULT CHARSET = utf8mb4;
                    CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, product_id INT NOT NULL,
                        quantity INT NOT NULL, note TEXT,
                        FOREIGN KEY (customer_id) REFERENCES customers (id),
                        FOREIGN KEY (product_id) REFERENCES products (id)) DEFAULT CHARSET = utf8mb4;
                    INSERT INTO customers SELECT g, CONCAT('customer ', g), CONCAT('c', g, '@example.test'),
                        TIMESTAMP('2024-01-01') + INTERVAL g HOUR FROM %1$s WHERE g <= 2000;
                    INSERT INTO customers VALUES %2$s;
                    INSERT INTO products SELECT g, CONCAT('product ', g, ' ½ "inch"'), g * 1.25, REPEAT('ab''c', g %% 40)
                        FROM %1$s WHERE g <= 500;
                    INSERT INTO orders SELECT g, 1 + g %% 2003, 1 + g %% 500, 1 + g %% 7,
                        CASE WHEN g %% 10 = 0 THEN CONCAT('note ''', g, ''' ✓') END FROM %1$s WHERE g <= 5000;
                    CREATE VIEW big_orders AS SELECT * FROM orders WHERE quantity > 5;
                    CREATE PROCEDURE order_count() SELECT COUNT(*) FROM orders;
                    CREATE TRIGGER orders_default_note BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, '');
                    """.formatted(numbers, awkward);
        }

        @Override
        String literal(String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t").replace("\n", "\\n") + "'";
        }

        @Override
        String checksumSql(String table, List<String> columns) {
            // Each row as a JSON array; the server does the md5. GROUP_CONCAT is capped at 1 MiB unless raised.
            return "SET SESSION group_concat_max_len = 1073741824; SELECT MD5(COALESCE(GROUP_CONCAT(JSON_ARRAY("
                    + String.join(", ", columns) + ") ORDER BY id SEPARATOR '\\n'), '')) FROM " + table;
        }

        @Override
        List<String> databasesStartingWith(String prefix) {
            return sql(null, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '"
                    + prefix.replace("_", "\\_") + "%'").lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        String routinesAndTriggersSql() {
            return "SELECT CONCAT((SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()), ',',"
                    + " (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()))";
        }
    }
}
