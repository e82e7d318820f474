#!/usr/bin/env bash
# Checks what building and testing Runway needs, and says exactly what is missing.
set -u
fail=0
need() { # need COMMAND MESSAGE
  if ! command -v "$1" >/dev/null 2>&1; then echo "error: '$1' was not found on PATH. $2" >&2; fail=1; fi
}
need java "Runway needs a JDK 17 or newer (e.g. 'apt-get install openjdk-17-jdk-headless')."
need mvn "Runway builds with Maven 3.8 or newer (e.g. 'apt-get install maven')."
need go "The local control plane is built from Go modules: install Go 1.24 or newer (e.g. 'apt-get install golang')."
need openssl "The local control plane's certificates are made with openssl ('apt-get install openssl')."
need curl "hack/cluster.sh talks to etcd's gateway with curl ('apt-get install curl')."
if command -v java >/dev/null 2>&1; then
  v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if [ -n "$v" ] && [ "${v%%.*}" -lt 17 ] 2>/dev/null; then
    echo "error: Java $v found; Runway needs a JDK 17 or newer (set JAVA_HOME or PATH to one)." >&2; fail=1
  fi
fi
if command -v go >/dev/null 2>&1; then
  gv=$(go env GOVERSION | sed 's/^go//'); minor=$(echo "$gv" | cut -d. -f2)
  if [ "${minor:-0}" -lt 24 ] 2>/dev/null; then
    echo "error: Go $gv found; building the control plane needs Go 1.24 or newer." >&2; fail=1
  fi
fi
exit $fail
