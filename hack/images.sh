#!/usr/bin/env bash
# Container images for the real node, built without a Docker daemon, and the local registry
# they are pushed to.
#
#   hack/images.sh tools                    build the registry and crane (hack/build-binaries.sh)
#   hack/images.sh registry up|down|status|address  the registry on 127.0.0.1:$((RUNWAY_PORT_BASE+70)),
#                                           plain HTTP; a second one with htpasswd auth on +71
#   hack/images.sh build NAME...            build images (OCI layout + OCI archive) and push them
#                                           when the registry is up; prints the references
#   hack/images.sh all                      every image
#   hack/images.sh refs                     print the references of the images built
#   hack/images.sh list                     the image names
#
# Images are cached in $RUNWAY_CACHE/images/<name>-<tag>-<hash of inputs>/ (layout/, image.oci.tar,
# ref, digest); a second build with the same inputs only pushes. Nothing here is committed.
# RUNWAY_REGISTRY_DIR (default $RUNWAY_CLUSTER_DIR/registry, else ~/.cache/runway/registry) holds
# the registry's storage, configuration, PIDs and logs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
CACHE=${RUNWAY_CACHE:-$HOME/.cache/runway}
BASE=${RUNWAY_PORT_BASE:-16400}
REGISTRY_PORT=$((BASE + 70)) REGISTRY_AUTH_PORT=$((BASE + 71))
REGISTRY=127.0.0.1:$REGISTRY_PORT
if [ -n "${RUNWAY_REGISTRY_DIR:-}" ]; then REG_DIR=$RUNWAY_REGISTRY_DIR
elif [ -n "${RUNWAY_CLUSTER_DIR:-}" ]; then REG_DIR=$RUNWAY_CLUSTER_DIR/registry
else REG_DIR=$CACHE/registry; fi
REGISTRY_BIN=$CACHE/bin/registry-$DISTRIBUTION_VERSION
CRANE=$CACHE/bin/crane-$GGCR_VERSION/crane
IMAGES=$CACHE/images
JDK=${RUNWAY_JRE_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
SAMPLE_APP_VERSIONS=(1.0.0 1.1.0)
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false -trimpath"

log() { printf '[images] %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

tools() {
  "$here/build-binaries.sh" registry
  "$here/build-binaries.sh" crane
}
need_tools() { [ -x "$REGISTRY_BIN/registry" ] && [ -x "$CRANE" ] || tools; }

# ---------------------------------------------------------------------------------------------
# The registry

# A recorded PID counts only while it still runs the registry binary (see cluster.sh).
pid_alive() {
  [ -f "$REG_DIR/pids/$1" ] || return 1
  local pid; pid=$(cat "$REG_DIR/pids/$1")
  kill -0 "$pid" 2>/dev/null && [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")" = registry ]
}

registry_config() { # registry_config NAME PORT [HTPASSWD]
  local name=$1 port=$2 htpasswd=${3:-}
  mkdir -p "$REG_DIR/$name/storage"
  [ -f "$REG_DIR/secret" ] || (umask 077; openssl rand -hex 16 > "$REG_DIR/secret")
  {
    echo "version: 0.1"
    echo "log: {level: info, formatter: text}"
    echo "storage:"
    echo "  filesystem: {rootdirectory: $REG_DIR/$name/storage}"
    echo "  delete: {enabled: true}"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  secret: $(cat "$REG_DIR/secret")"
    if [ -n "$htpasswd" ]; then
      echo "auth:"
      echo "  htpasswd: {realm: runway-local, path: $htpasswd}"
    fi
  } > "$REG_DIR/$name/config.yml"
}

registry_answers() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/v2/" 2>/dev/null || \
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/v2/")" = 401 ]; }

start_registry() { # start_registry NAME PORT [HTPASSWD]
  local name=$1 port=$2
  if pid_alive "$name"; then return 0; fi
  registry_config "$@"
  mkdir -p "$REG_DIR/pids" "$REG_DIR/logs"
  setsid "$REGISTRY_BIN/registry" serve "$REG_DIR/$name/config.yml" \
    >"$REG_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! > "$REG_DIR/pids/$name"
  local deadline=$((SECONDS + 30))
  until registry_answers "$port"; do
    pid_alive "$name" || { tail -20 "$REG_DIR/logs/$name.log" >&2; die "$name exited; log $REG_DIR/logs/$name.log"; }
    [ $SECONDS -lt $deadline ] || die "$name did not answer on 127.0.0.1:$port within 30 s"
    sleep 0.3
  done
}

# The second registry asks for basic auth: user 'runway', password in $REG_DIR/auth/password.
auth_file() {
  local dir=$REG_DIR/auth
  [ -f "$dir/htpasswd" ] && return 0
  mkdir -p "$dir"
  (umask 077; openssl rand -hex 12 > "$dir/password")
  echo runway > "$dir/username"
  "$REGISTRY_BIN/htpasswd-bcrypt" runway < "$dir/password" > "$dir/htpasswd"
}

registry() {
  case ${1:-status} in
    up)
      need_tools
      start_registry registry "$REGISTRY_PORT"
      auth_file
      start_registry registry-auth "$REGISTRY_AUTH_PORT" "$REG_DIR/auth/htpasswd"
      log "registry on $REGISTRY (plain HTTP), with basic auth on 127.0.0.1:$REGISTRY_AUTH_PORT" \
          "(user $(cat "$REG_DIR/auth/username"), password in $REG_DIR/auth/password)" ;;
    down)
      local name
      for name in registry-auth registry; do
        if pid_alive "$name"; then
          local pid; pid=$(cat "$REG_DIR/pids/$name")
          kill "$pid"
          for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
          kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
          log "stopped $name (pid $pid)"
        fi
        rm -f "$REG_DIR/pids/$name"
      done ;;
    status)
      local name port rc=0
      for name in registry registry-auth; do
        port=$REGISTRY_PORT; [ $name = registry ] || port=$REGISTRY_AUTH_PORT
        if pid_alive "$name" && registry_answers "$port"; then echo "$name: running on 127.0.0.1:$port"
        else echo "$name: stopped"; rc=1; fi
      done
      return $rc ;;
    address) echo "$REGISTRY" ;;
    *) die "usage: $0 registry up|down|status|address" ;;
  esac
}
registry_up() { pid_alive registry && registry_answers "$REGISTRY_PORT"; }

# ---------------------------------------------------------------------------------------------
# Image building blocks

# hash_inputs WORDS...: a short hash of strings and of the contents of the files among them.
hash_inputs() {
  local x
  for x in "$@"; do
    if [ -f "$x" ]; then sha256sum "$x" | cut -d' ' -f1; else printf '%s\n' "$x"; fi
  done | sha256sum | cut -c1-16
}

# copy_with_libs ROOTFS FILE...: copy files (keeping their paths) plus the ldd closure of the
# ELF files among them; symlinks are kept and their targets copied too.
copy_with_libs() {
  local root=$1; shift
  local f
  for f in "$@"; do copy_path "$root" "$f"; done
  for f in "$@"; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    head -c4 "$f" 2>/dev/null | grep -q $'\x7fELF' || continue
    ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^[[:space:]]*\/[^ ]+ \(/{print $1}'
  done | sort -u | while read -r lib; do copy_path "$root" "$lib"; done
}

copy_path() { # copy_path ROOTFS PATH: PATH into ROOTFS, with the symlinks leading to it
  local root=$1 p=$2
  [ -e "$p" ] || [ -L "$p" ] || return 0
  [ -e "$root$p" ] || [ -L "$root$p" ] && return 0
  # Debian 12 is merged-/usr: /lib, /bin, /sbin, /lib64 are symlinks; keep them as such.
  local d; d=$(dirname "$p")
  if [ ! -d "$root$d" ]; then mkdir -p "$root$d"; fi
  if [ -d "$p" ] && [ ! -L "$p" ]; then mkdir -p "$root$p"; return 0; fi
  cp -a "$p" "$root$p"
  if [ -L "$p" ]; then
    local target; target=$(readlink "$p")
    [[ $target == /* ]] || target=$d/$target
    copy_path "$root" "$(realpath -ms "$target")"
  fi
}

# The usual top level of a merged-/usr Debian root.
base_rootfs() {
  local root=$1
  mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib/x86_64-linux-gnu,usr/lib64,etc,tmp,var/tmp,run,dev,proc,sys}
  ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  chmod 1777 "$root/tmp" "$root/var/tmp"
}

write_users() { # write_users ROOTFS "name:uid" ...
  local root=$1; shift
  mkdir -p "$root/etc"
  echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
  echo "root:x:0:" > "$root/etc/group"
  local u
  for u in "$@"; do
    echo "${u%%:*}:x:${u#*:}:${u#*:}:${u%%:*}:/tmp:/sbin/nologin" >> "$root/etc/passwd"
    echo "${u%%:*}:x:${u#*:}:" >> "$root/etc/group"
  done
  echo "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin" >> "$root/etc/passwd"
  echo "nogroup:x:65534:" >> "$root/etc/group"
}

# image NAME TAG HASH ROOTFS-BUILDER [oci-layout.py options]: builds the image into the cache
# unless it is there, then pushes it when the registry is up; prints the reference.
image() {
  local name=$1 tag=$2 hash=$3 builder=$4; shift 4
  local ref=$REGISTRY/runway/$name:$tag
  local out=$IMAGES/$name-$tag${hash:+-$hash}
  if [ ! -f "$out/.done" ]; then
    log "building $name:$tag ($out)"
    rm -rf "$out"; mkdir -p "$out"
    local root=$out/rootfs
    mkdir -p "$root"
    "$builder" "$root"
    python3 "$here/images/oci-layout.py" "$root" "$out" --ref "$ref" "$@" > "$out/digest"
    rm -rf "$root"
    echo "$ref" > "$out/ref"
    touch "$out/.done"
  fi
  [ -z "$hash" ] || ln -sfn "$(basename "$out")" "$IMAGES/$name-$tag"
  push "$out" "$ref"
}

push() { # push CACHE-DIR REF
  if registry_up; then
    need_tools
    "$CRANE" push --insecure "$1/layout" "$2" >/dev/null 2>"$1/push.log" || { cat "$1/push.log" >&2; die "push of $2 failed"; }
  fi
  echo "$2@$(cat "$1/digest")"
}

# ---------------------------------------------------------------------------------------------
# The images

build_pause() {
  command -v gcc >/dev/null || die "gcc is needed for the pause image (apt-get install gcc libc6-dev)"
  _pause_rootfs() { gcc -static -Os -s -o "$1/pause" "$here/images/pause.c"; }
  image pause 3.10 "$(hash_inputs "$here/images/pause.c" "$here/images/oci-layout.py" "$(gcc --version | head -1)")" \
    _pause_rootfs --user 65535 --entrypoint /pause
}

sample_app_binary() { # sample_app_binary VERSION: path of the static binary, built once
  local v=$1 h; h=$(hash_inputs "$repo"/sample-app/*.go "$repo/sample-app/go.mod" "$(go env GOVERSION)" "$v")
  local out=$CACHE/bin/sample-app-$v-$h
  if [ ! -x "$out/sample-app" ]; then
    log "building sample-app $v"
    mkdir -p "$out"
    (cd "$repo/sample-app" && CGO_ENABLED=0 go build -ldflags "-s -w -X main.version=$v" -o "$out/sample-app.tmp" . \
      && mv "$out/sample-app.tmp" "$out/sample-app")
  fi
  echo "$out/sample-app"
}

build_runway-sample-app() {
  command -v go >/dev/null || die "go is needed for the sample app"
  local v bin
  for v in "${SAMPLE_APP_VERSIONS[@]}"; do
    bin=$(sample_app_binary "$v")
    SAMPLE_BIN=$bin
    _app_rootfs() { mkdir -p "$1/tmp"; chmod 1777 "$1/tmp"; cp "$SAMPLE_BIN" "$1/sample-app"; }
    image runway-sample-app "$v" "$(hash_inputs "$bin" "$here/images/oci-layout.py" v2)" _app_rootfs \
      --user 10001 --entrypoint /sample-app --port 8080
  done
  SAMPLE_BIN=$(sample_app_binary "${SAMPLE_APP_VERSIONS[0]}")
  # root on port 80: the seed's nginx:alpine case (runAsNonRoot must refuse it).
  image runway-sample-app root-80 "$(hash_inputs "$SAMPLE_BIN" "$here/images/oci-layout.py" v2)" _app_rootfs \
    --user "" --entrypoint /sample-app --port 80 --env PORT=80
  # a non-numeric user: runAsNonRoot cannot verify it without runAsUser.
  _named_rootfs() { _app_rootfs "$1"; write_users "$1" app:10001; }
  image runway-sample-app named-user "$(hash_inputs "$SAMPLE_BIN" "$here/images/oci-layout.py" v2)" _named_rootfs \
    --user app --entrypoint /sample-app --port 8080
}

# The modules the operator's Quarkus fast-jar needs (java.se covers the platform; the rest are
# what Quarkus, Netty, Vert.x and the Kubernetes client use beyond it).
JRE_MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.management,jdk.management.agent,jdk.jfr,jdk.attach,jdk.naming.dns,jdk.localedata,jdk.net,jdk.httpserver
jre_tag() { echo "17-$(hash_inputs "$JDK/release" "$JRE_MODULES" "$here/images/oci-layout.py" "$(dpkg-query -W -f='${Version}' libc6 zlib1g)" v2)"; }
build_jre() {
  [ -x "$JDK/bin/jlink" ] || die "jlink not found in $JDK (apt-get install openjdk-17-jdk-headless)"
  _jre_rootfs() {
    local root=$1
    base_rootfs "$root"
    "$JDK/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
      --compress=2 --output "$root/opt/java"
    local elf=()
    while IFS= read -r f; do elf+=("$f"); done < <(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \))
    local lib
    for lib in $(for f in "${elf[@]}"; do ldd "$f" 2>/dev/null; done \
                 | awk '/=> \//{print $3} /^[[:space:]]*\/[^ ]+ \(/{print $1}' | sort -u); do
      [[ $lib == "$root"/* ]] || copy_path "$root" "$lib"
    done
    copy_path "$root" /lib64/ld-linux-x86-64.so.2
    write_users "$root" jboss:185
  }
  image jre "$(jre_tag)" "" _jre_rootfs \
    --user 185 --env JAVA_HOME=/opt/java --env PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin \
    --env LANG=C.UTF-8 --workdir /tmp --entrypoint /opt/java/bin/java
}

# The operator: Quarkus Jib on the jre image, pulled from and pushed to the local registry.
build_runway-operator() {
  registry_up || die "the registry is not up: hack/images.sh registry up"
  local jre; jre=$(build_jre | tail -1); jre=${jre%@*}
  local version; version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -1)
  log "building the operator image $REGISTRY/runway/runway-operator:$version on $jre (mvn -Pimage)"
  (cd "$repo" && mvn -B package -DskipTests -Pimage \
      -Dquarkus.jib.base-jvm-image="$jre" \
      -Dquarkus.container-image.registry="$REGISTRY" -Dquarkus.container-image.group=runway \
      -Dquarkus.container-image.name=runway-operator -Dquarkus.container-image.tag="$version" \
      -Dquarkus.container-image.insecure=true -Dquarkus.container-image.push=true \
      ) >&2
  need_tools
  echo "$REGISTRY/runway/runway-operator:$version@$("$CRANE" digest --insecure "$REGISTRY/runway/runway-operator:$version")"
}

# Rootfs images from Debian packages: the files of the packages (dpkg -L) plus the ldd closure.
# DEB_EXCLUDE: an extended regex of paths to leave out (documentation, the LLVM JIT, ...).
DEB_EXCLUDE='^/usr/share/(doc|man|info|lintian)/'
deb_files() {
  dpkg -L "$@" 2>/dev/null | sort -u | grep -Ev "$DEB_EXCLUDE" | while read -r f; do
    if [ -f "$f" ] || [ -L "$f" ]; then echo "$f"; fi
  done
}
deb_rootfs() { # deb_rootfs ROOTFS PACKAGE...
  local root=$1; shift
  local missing=()
  local p; for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] || die "Debian packages missing: ${missing[*]} (apt-get install -y --no-install-recommends ${missing[*]})"
  base_rootfs "$root"
  local files=(); while IFS= read -r f; do files+=("$f"); done < <(deb_files "$@")
  copy_with_libs "$root" "${files[@]}"
  copy_path "$root" /lib64/ld-linux-x86-64.so.2
}
deb_hash() { dpkg-query -W -f='${Package}=${Version}\n' "$@" | sort; }

# util-linux: flock, with which backup, verify and restore pods take turns on the backup volume.
BACKUP_PACKAGES=(bash dash coreutils gzip tar findutils grep sed gawk util-linux postgresql-client-15 mariadb-client mariadb-client-core libc-bin)
build_backup-tools() {
  _backup_rootfs() {
    deb_rootfs "$1" "${BACKUP_PACKAGES[@]}"
    # postgresql-client-common's wrappers need perl; link the real binaries onto PATH instead.
    local b; for b in pg_dump pg_dumpall pg_restore psql pg_isready; do
      ln -sf ../lib/postgresql/15/bin/$b "$1/usr/bin/$b"
    done
    write_users "$1" backup:10001
  }
  image backup-tools 1 "$(hash_inputs "$(deb_hash "${BACKUP_PACKAGES[@]}")" "$here/images.sh" "$here/images/oci-layout.py")" \
    _backup_rootfs --user 10001 --entrypoint /bin/bash --workdir /tmp
}

POSTGRES_PACKAGES=(bash dash coreutils postgresql-15 postgresql-client-15 tzdata libc-bin)
build_postgres() {
  _pg_rootfs() {
    # The LLVM JIT (jit=off by default for short queries) would bring ~100 MB of libLLVM.
    DEB_EXCLUDE='^/usr/share/(doc|man|info|lintian)/|/llvmjit|/bitcode/' deb_rootfs "$1" "${POSTGRES_PACKAGES[@]}"
    local b; for b in psql pg_isready; do ln -sf ../lib/postgresql/15/bin/$b "$1/usr/bin/$b"; done
    install -D -m 0755 "$here/images/postgres-entrypoint.sh" "$1/usr/local/bin/entrypoint.sh"
    mkdir -p "$1/var/lib/postgresql/data" "$1/var/run/postgresql"
    write_users "$1" postgres:10001
  }
  image postgres 15 "$(hash_inputs "$(deb_hash "${POSTGRES_PACKAGES[@]}")" "$here/images.sh" "$here/images/postgres-entrypoint.sh" "$here/images/oci-layout.py")" \
    _pg_rootfs --user 10001 --entrypoint /usr/local/bin/entrypoint.sh --port 5432 \
    --env PGDATA=/var/lib/postgresql/data/pgdata --chown var/lib/postgresql=10001:10001 \
    --chown var/run/postgresql=10001:10001
}

MARIADB_PACKAGES=(bash dash coreutils sed grep gawk findutils hostname mariadb-server mariadb-server-core mariadb-client mariadb-client-core libc-bin)
build_mariadb() {
  _maria_rootfs() {
    deb_rootfs "$1" "${MARIADB_PACKAGES[@]}"
    install -D -m 0755 "$here/images/mariadb-entrypoint.sh" "$1/usr/local/bin/entrypoint.sh"
    mkdir -p "$1/var/lib/mysql" "$1/run/mysqld"
    rm -rf "$1/etc/mysql/mariadb.conf.d" "$1/etc/mysql/conf.d"
    write_users "$1" mysql:10001
  }
  image mariadb 10.11 "$(hash_inputs "$(deb_hash "${MARIADB_PACKAGES[@]}")" "$here/images.sh" "$here/images/mariadb-entrypoint.sh" "$here/images/oci-layout.py")" \
    _maria_rootfs --user 10001 --entrypoint /usr/local/bin/entrypoint.sh --port 3306 \
    --chown var/lib/mysql=10001:10001 --chown run/mysqld=10001:10001
}

NAMES=(pause runway-sample-app jre backup-tools postgres mariadb runway-operator)

main() {
  local cmd=${1:-}; shift || true
  case $cmd in
    tools) tools ;;
    registry) registry "$@" ;;
    build)
      [ $# -gt 0 ] || die "usage: $0 build NAME... (names: ${NAMES[*]})"
      local n; for n in "$@"; do
        declare -F "build_$n" >/dev/null || die "no image '$n' (names: ${NAMES[*]})"
        "build_$n"
      done ;;
    all) local n; for n in "${NAMES[@]}"; do
           if [ "$n" = runway-operator ] && ! registry_up; then log "skipping runway-operator: the registry is not up"; continue; fi
           "build_$n"; done ;;
    refs) # the latest build of each tag: the <name>-<tag> links, and jre-17-<hash> (no link)
          local d; for d in "$IMAGES"/*/; do d=${d%/}
            if { [ -L "$d" ] || [[ $d == */jre-17-* ]]; } && [ -f "$d/.done" ]; then
              echo "$(cat "$d/ref")@$(cat "$d/digest")"
            fi
          done ;;
    list) printf '%s\n' "${NAMES[@]}" ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$cmd" ] || exit 2 ;;
  esac
}
main "$@"
