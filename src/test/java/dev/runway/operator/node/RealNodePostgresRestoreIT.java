package dev.runway.operator.node;

import java.util.List;
import java.util.Map;

import dev.runway.operator.testing.RealNode;

/** {@link RealNodeRestoreContract} with PostgreSQL 15 (runway/postgres:15) and pg_dump/pg_restore from backup-tools. */
class RealNodePostgresRestoreIT extends RealNodeRestoreContract {
    @Override
    String engine() {
        return "PostgreSQL";
    }

    @Override
    String serverContainer() {
        return """
                - name: postgres
                  image: "%s"
                  env:
                  - {name: POSTGRES_PASSWORD, valueFrom: {secretKeyRef: {name: db-admin, key: password}}}
                  - {name: POSTGRES_DB, value: shop}
                  readinessProbe: {exec: {command: [pg_isready, -h, 127.0.0.1, -d, shop]}, periodSeconds: 2}
                  securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
                  volumeMounts:
                  - {name: data, mountPath: /var/lib/postgresql/data}
                  - {name: run, mountPath: /var/run/postgresql}
                  - {name: tmp, mountPath: /tmp}
                """.formatted(RealNode.image("postgres:15"));
    }

    @Override
    String serverVolumes() {
        return "[{name: data, emptyDir: {}}, {name: run, emptyDir: {}}, {name: tmp, emptyDir: {}}]";
    }

    @Override
    String applicationScript() {
        return """
                echo "database=$database"
                echo "orders=$(PGPASSWORD=$password psql -h "$host" -p "$port" -U "$username" -d "$database" -XAtc 'SELECT count(*) FROM orders')"
                """;
    }

    @Override
    boolean checksSameMinuteSchedules() {
        return true;
    }

    @Override
    int port() {
        return 5432;
    }

    @Override
    String adminUser() {
        return "postgres";
    }

    @Override
    String dumpPattern() {
        return "\\d{8}T\\d{6}Z\\.pgdump";
    }

    /** Unicode, quotes, backslashes, newlines, a trigger, and eight rows of a megabyte of random text each. */
    @Override
    String seedSql() {
        return """
                CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, note text);
                INSERT INTO customers SELECT g, 'customer ' || g, NULL FROM generate_series(1, 3000) g;
                INSERT INTO customers VALUES (3001, E'Zoë O\\'Brien "the quoted"', E'tab\\there,\\nnewline; DROP TABLE customers; --'),
                    (3002, '東京 🚀 back\\slash', 'ünïcödé ✓');
                CREATE TABLE products (id integer PRIMARY KEY, title text NOT NULL, price numeric(10, 2), blob text);
                INSERT INTO products SELECT g, 'product ' || g || ' ½ "inch"', g * 1.25, NULL FROM generate_series(1, 500) g;
                INSERT INTO products SELECT 1000 + g, 'large ' || g, 0,
                    (SELECT string_agg(md5(random()::text || i || '-' || g), 'ä''"') FROM generate_series(1, 30000) i)
                    FROM generate_series(1, 8) g;
                CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id),
                    product_id integer REFERENCES products (id), quantity integer, note text);
                INSERT INTO orders SELECT g, 1 + g % 3000, 1 + g % 500, 1 + g % 7,
                    CASE WHEN g % 10 = 0 THEN 'note ''' || g || ''' ✓' END FROM generate_series(1, 200000) g;
                CREATE FUNCTION default_note() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN NEW.note := coalesce(NEW.note, ''); RETURN NEW; END $$;
                CREATE TRIGGER orders_default_note BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION default_note();
                """;
    }

    @Override
    String fingerprintSql(String table) {
        return "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) FROM " + table + " t";
    }

    @Override
    String ordersTablesSql(String database) {
        return "SELECT count(*) FROM pg_tables WHERE tablename = 'orders'";
    }

    @Override
    List<String> clientCommand(String database) {
        return List.of("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", host, "-U", "postgres", "-d", database);
    }

    @Override
    Map<String, String> clientEnvironment() {
        return Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "10", "PGCLIENTENCODING", "UTF8");
    }
}
