#!/bin/bash
# Entrypoint of the runway/mariadb image: initialises the data directory on first start (root
# password $MARIADB_ROOT_PASSWORD, optional $MARIADB_DATABASE, $MARIADB_USER/$MARIADB_PASSWORD),
# then runs mariadbd in the foreground on 0.0.0.0:${MARIADB_PORT:-3306}.
set -euo pipefail
datadir=${MARIADB_DATADIR:-/var/lib/mysql}
sock=/run/mysqld/mysqld.sock
opts=(--no-defaults --datadir="$datadir" --socket="$sock" --skip-name-resolve --skip-log-bin
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --innodb-use-native-aio=0)
init=()
if [ ! -d "$datadir/mysql" ]; then
  : "${MARIADB_ROOT_PASSWORD:?MARIADB_ROOT_PASSWORD must be set for the first start}"
  mkdir -p "$datadir"
  mariadb-install-db --no-defaults --datadir="$datadir" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve --force >/tmp/install-db.log 2>&1 || { cat /tmp/install-db.log >&2; exit 1; }
  # The accounts are made by the server itself on its first start (--init-file), so the
  # password never appears on a command line.
  {
    # mariadb-install-db also makes password-less root@127.0.0.1, root@::1 and root@<hostname>.
    echo "DELETE FROM mysql.global_priv WHERE User='root' AND Host NOT IN ('localhost', '%');"
    echo "DELETE FROM mysql.global_priv WHERE User='';"
    echo "FLUSH PRIVILEGES;"
    printf "CREATE USER IF NOT EXISTS 'root'@'%%' IDENTIFIED BY '%s';\n" "$MARIADB_ROOT_PASSWORD"
    printf "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%%' WITH GRANT OPTION;\n"
    printf "ALTER USER 'root'@'localhost' IDENTIFIED BY '%s';\n" "$MARIADB_ROOT_PASSWORD"
    if [ -n "${MARIADB_DATABASE:-}" ]; then printf 'CREATE DATABASE IF NOT EXISTS `%s`;\n' "$MARIADB_DATABASE"; fi
    if [ -n "${MARIADB_USER:-}" ]; then
      printf "CREATE USER IF NOT EXISTS '%s'@'%%' IDENTIFIED BY '%s';\n" "$MARIADB_USER" "${MARIADB_PASSWORD:?}"
      printf "GRANT ALL PRIVILEGES ON \`%s\`.* TO '%s'@'%%';\n" "${MARIADB_DATABASE:-*}" "$MARIADB_USER"
    fi
  } > /tmp/init.sql
  init=(--init-file=/tmp/init.sql)
fi
exec /usr/sbin/mariadbd "${opts[@]}" "${init[@]}" --bind-address=0.0.0.0 --port="${MARIADB_PORT:-3306}" "$@"
