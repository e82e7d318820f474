#!/usr/bin/env bash
# Checks and installs what building, testing and the demo need, so that `make test`, `make demo`
# and `.ci/run` need nothing else on a fresh machine. Every `make` target runs it; a warm machine
# passes in well under a second.
#
#   hack/prereqs.sh              check the toolchains; install the missing Debian packages
#   hack/prereqs.sh packages     print the Debian packages it would install, one per line
#
# Debian packages are installed with apt-get when it is there and we are root; anywhere else the
# script stops with one message naming every missing package. RUNWAY_INSTALL=0 only checks.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fail=0

# command-or-file package why
DEBIAN=(
  "java openjdk-17-jdk-headless the operator is a Java program"
  "mvn maven the build"
  "openssl openssl the local control plane's certificates"
  "curl curl hack/cluster.sh talks to etcd's gateway"
  "gcc gcc the real node's pause image is a static C program"
  "lua5.1 lua5.1 the Argo CD health-check tests run the Lua scripts"
  "containerd containerd the real node's container runtime"
  "runc runc the real node's OCI runtime"
  "/usr/lib/cni/bridge containernetworking-plugins the real node's pod network (bridge, host-local, portmap, loopback)"
  "iptables iptables the real node keeps pod traffic on the machine"
  "jlink openjdk-17-jdk-headless the operator's base image is a jlink'd JRE"
)
db_packages() { bash "$here/databases.sh" packages; }

missing_packages() {
  local entry what pkg
  for entry in "${DEBIAN[@]}"; do
    read -r what pkg _ <<<"$entry"
    if [[ $what == /* ]]; then [ -e "$what" ] && continue; else command -v "$what" >/dev/null 2>&1 && continue; fi
    echo "$pkg"
  done
  # The backup-script tests and the database images use the servers' own packages.
  while read -r pkg; do dpkg -s "$pkg" >/dev/null 2>&1 || echo "$pkg"; done < <(db_packages)
}

if [ "${1:-}" = packages ]; then
  for entry in "${DEBIAN[@]}"; do read -r _ pkg _ <<<"$entry"; echo "$pkg"; done
  db_packages; exit 0
fi

mapfile -t missing < <(missing_packages | sort -u)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${RUNWAY_INSTALL:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[prereqs] installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
      echo "error: apt-get could not install: ${missing[*]}" >&2; fail=1
    fi
  else
    echo "error: missing Debian packages: ${missing[*]}" >&2
    echo "       install them (as root: apt-get install ${missing[*]}) and run again." >&2
    for entry in "${DEBIAN[@]}"; do
      read -r _ pkg why <<<"$entry"
      [[ " ${missing[*]} " == *" $pkg "* ]] && echo "       $pkg: $why" >&2
    done
    fail=1
  fi
fi

need() { # need COMMAND MESSAGE
  if ! command -v "$1" >/dev/null 2>&1; then echo "error: '$1' was not found on PATH. $2" >&2; fail=1; fi
}
need java "Runway needs a JDK 17 or newer (e.g. 'apt-get install openjdk-17-jdk-headless')."
need mvn "Runway builds with Maven 3.8 or newer (e.g. 'apt-get install maven')."
need go "The local control plane is built from Go modules: install Go 1.24 or newer (Debian's golang package is older: use the Go release for your machine)."
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
