package dev.runway.operator.node;

import java.util.List;
import java.util.Map;

import dev.runway.operator.testing.RealNode;

/** {@link RealNodeRestoreContract} with MariaDB 10.11 (runway/mariadb:10.11, engine MySQL) and mariadb-dump from backup-tools. */
class RealNodeMariaDbRestoreIT extends RealNodeRestoreContract {
    private static final Map<String, List<String>> COLUMNS = Map.of(
            "customers", List.of("id", "name", "note"),
            "products", List.of("id", "title", "price", "blob_col"),
            "orders", List.of("id", "customer_id", "product_id", "quantity", "note"));

    @Override
    String engine() {
        return "MySQL";
    }

    @Override
    String serverContainer() {
        return """
                - name: mariadb
                  image: "%s"
                  env:
                  - {name: MARIADB_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: db-admin, key: password}}}
                  - {name: MARIADB_DATABASE, value: shop}
                  readinessProbe: {tcpSocket: {port: 3306}, periodSeconds: 2}
                  securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
                  volumeMounts:
                  - {name: data, mountPath: /var/lib/mysql}
                  - {name: run, mountPath: /run/mysqld}
                  - {name: tmp, mountPath: /tmp}
                """.formatted(RealNode.image("mariadb:10.11"));
    }

    @Override
    String serverVolumes() {
        return "[{name: data, emptyDir: {}}, {name: run, emptyDir: {}}, {name: tmp, emptyDir: {}}]";
    }

    @Override
    String applicationScript() {
        return """
                echo "database=$database"
                echo "orders=$(MYSQL_PWD=$password mariadb --protocol=TCP -h "$host" -P "$port" -u "$username" -N -B -e 'SELECT COUNT(*) FROM orders' "$database")"
                """;
    }

    @Override
    int port() {
        return 3306;
    }

    @Override
    String adminUser() {
        return "root";
    }

    @Override
    String dumpPattern() {
        return "\\d{8}T\\d{6}Z\\.sql\\.gz";
    }

    @Override
    String seedSql() {
        return """
                SET SESSION group_concat_max_len = 4194304;
                CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, note text) CHARACTER SET utf8mb4;
                INSERT INTO customers SELECT seq, CONCAT('customer ', seq), NULL FROM seq_1_to_3000;
                INSERT INTO customers VALUES (3001, 'Zoë O\\'Brien "the quoted"', 'tab\\there,\\nnewline; DROP TABLE customers; --'),
                    (3002, '東京 🚀 back\\\\slash', 'ünïcödé ✓');
                CREATE TABLE products (id int PRIMARY KEY, title text NOT NULL, price decimal(10, 2), blob_col longtext) CHARACTER SET utf8mb4;
                INSERT INTO products SELECT seq, CONCAT('product ', seq, ' ½ "inch"'), seq * 1.25, NULL FROM seq_1_to_500;
                INSERT INTO products SELECT 1000 + g.seq, CONCAT('large ', g.seq), 0,
                    (SELECT GROUP_CONCAT(MD5(CONCAT(RAND(), i.seq, '-', g.seq)) SEPARATOR 'ä\\'"') FROM seq_1_to_30000 i)
                    FROM seq_1_to_8 g;
                CREATE TABLE orders (id int PRIMARY KEY, customer_id int, product_id int, quantity int, note text,
                    FOREIGN KEY (customer_id) REFERENCES customers (id), FOREIGN KEY (product_id) REFERENCES products (id)) CHARACTER SET utf8mb4;
                INSERT INTO orders SELECT seq, 1 + seq % 3000, 1 + seq % 500, 1 + seq % 7,
                    CASE WHEN seq % 10 = 0 THEN CONCAT('note \\'', seq, '\\' ✓') END FROM seq_1_to_200000;
                CREATE TRIGGER orders_default_note BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, '');
                """;
    }

    /** One md5 per row (NULL spelled \\N), then the md5 of them all in id order. */
    @Override
    String fingerprintSql(String table) {
        String row = COLUMNS.get(table).stream().map(c -> "COALESCE(" + c + ", '\\\\N')").reduce((a, b) -> a + ", " + b).orElseThrow();
        return "SET SESSION group_concat_max_len = 1073741824; SELECT CONCAT(COUNT(*), ':', MD5(COALESCE(GROUP_CONCAT(MD5(CONCAT_WS(0x1f, "
                + row + ")) ORDER BY id SEPARATOR ''), ''))) FROM " + table;
    }

    @Override
    String ordersTablesSql(String database) {
        return "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + database + "' AND TABLE_NAME = 'orders'";
    }

    @Override
    List<String> clientCommand(String database) {
        return List.of("mariadb", "--protocol=TCP", "-h", host, "-P", "3306", "-u", "root", "--default-character-set=utf8mb4", "--batch", "--raw",
                "--skip-column-names", "--connect-timeout=10", database);
    }

    @Override
    Map<String, String> clientEnvironment() {
        return Map.of("MYSQL_PWD", password);
    }
}
