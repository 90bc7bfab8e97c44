#!/usr/bin/env bash
# The real Docker engine, buildx and registry that the end-to-end tests, CI and
# the example use, on a Debian 12 machine as root (see shared/ENGINE.md).
#
#   scripts/engine.sh install                    both engines, buildx, registry, htpasswd, busybox
#                                                (amd64 and arm64), qemu-user-static, time
#   scripts/engine.sh node24                     Node 24 in .tools; prints its bin dir on stdout
#   scripts/engine.sh start [classic|containerd] both engines (or one) in the background;
#                                                no-op for one that answers
#   scripts/engine.sh stop [classic|containerd]  stops what `start` started
#   scripts/engine.sh env containerd|classic     prints the `export` lines that select an engine
#   scripts/engine.sh registry-start NAME PORT [USER PASS]
#                                                a registry on 127.0.0.1:PORT; prints the address
#   scripts/engine.sh registry-stop NAME
#   scripts/engine.sh buildkit build|start|stop|addr|image|status
#                                                a real buildkitd for the remote and docker-container
#                                                builders (scripts/buildkit.sh); install builds it
#
# Two engines, as GitHub's runners have them:
# - classic: Debian 12's dockerd 20.10 with the classic image store and buildx
#   0.13, on the default socket;
# - containerd: Docker 28.5 with the containerd image store and buildx 0.29
#   (Debian unstable's packages, extracted under ENGINE_HOME, run with bookworm's
#   runc), on its own socket, data root, exec root and bridge.
# Every command is idempotent and says what it does on stderr. State (data roots,
# pidfiles, logs, registry storage) lives under ENGINE_STATE (/tmp/btp-engine);
# the extracted packages under ENGINE_HOME (/opt/btp-engine).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${ENGINE_STATE:-/tmp/btp-engine}
DOCKER_STATE=$STATE/docker
HOME_DIR=${ENGINE_HOME:-/opt/btp-engine}
# The containerd-store engine: its packages, state, socket and the Docker config
# directory whose cli-plugins/ holds its buildx.
MODERN_ROOT=$HOME_DIR/containerd/root
MODERN_STATE=$STATE/containerd
MODERN_SOCKET=$MODERN_STATE/docker.sock
MODERN_CONFIG=$MODERN_STATE/config
MODERN_BRIDGE=btpcd0
MODERN_SUBNET=172.31.250.1/24
# Debian packages of the containerd-store engine (and cosign, for image signing).
MODERN_PACKAGES=(docker.io docker-cli containerd docker-buildx cosign)
export DEBIAN_FRONTEND=noninteractive

log() { echo "engine: $*" >&2; }
die() {
  echo "engine: error: $*" >&2
  exit 1
}

# Is the process in pidfile $1 alive?
alive() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Sends TERM to the process in pidfile $1, waits up to $2 seconds, then KILLs it.
stop_pid() {
  local pidfile=$1 wait_s=$2 pid i
  alive "$pidfile" || return 0
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid did not stop in ${wait_s}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# Another apt or dpkg run (an unattended upgrade, another session) may hold the
# lock for a while: wait for it rather than fail.
APT=(apt-get -o DPkg::Lock::Timeout=600)

apt_updated=false
apt_update() {
  $apt_updated && return 0
  log "apt-get update"
  # A third-party source that cannot be reached must not stop the install of
  # Debian's packages; apt-get install below says clearly if one is missing.
  "${APT[@]}" update -qq >&2 || log "apt-get update reported errors; trying the install anyway"
  apt_updated=true
}

cmd_install() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  # Mounts the cgroup hierarchies dockerd needs on a machine without systemd
  # (docker.io recommends it; its install mounts them).
  command -v cgroupfs-mount >/dev/null || missing+=(cgroupfs-mount)
  # The test images are FROM scratch: they need the static busybox, not the dynamic one.
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
    missing+=(busybox-static)
  # GNU time: npm run bench reads the peak memory of the action's node process with it.
  [[ -x /usr/bin/time ]] || missing+=(time)
  # ip: the containerd-store engine's own bridge.
  command -v ip >/dev/null || missing+=(iproute2)
  # xz: scripts/buildkit.sh build unpacks the engine's .orig.tar.xz.
  command -v xz >/dev/null || missing+=(xz-utils)
  if ((${#missing[@]})); then
    apt_update
    log "apt-get install ${missing[*]}"
    # With the recommended packages, as verified in ENGINE.md.
    "${APT[@]}" install -y -qq "${missing[@]}" >&2
  else
    log "docker.io, docker-registry, apache2-utils, cgroupfs-mount, busybox-static, time: already installed"
  fi
  # arm64 RUN steps and `docker run --platform linux/arm64` under QEMU (binfmt_misc, flags F).
  if [[ ! -x /usr/bin/qemu-aarch64-static ]]; then
    apt_update
    log "apt-get install qemu-user-static binfmt-support"
    "${APT[@]}" install -y -qq --no-install-recommends qemu-user-static binfmt-support >&2
  fi
  register_qemu

  if docker buildx version >/dev/null 2>&1; then
    log "buildx: already installed ($(docker buildx version))"
  else
    install_buildx
  fi
  install_modern
  install_arm64_busybox
  # buildkitd and buildctl for the remote and docker-container builders: compiled once (about
  # 5 min on a fresh 2-core machine); a hang must not hold CI for its whole time budget.
  timeout --kill-after=30s "${BUILDKIT_BUILD_TIMEOUT:-20m}" bash "$ROOT/scripts/buildkit.sh" build ||
    die "scripts/buildkit.sh build failed or took longer than ${BUILDKIT_BUILD_TIMEOUT:-20m}"
}

# apt-get options for a private apt state with one source line ($2) in dir $1:
# the machine's own sources and lists stay as they are.
private_apt() {
  local dir=$1 line=$2
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  echo "$line" >"$dir/sources.list"
  PRIVATE_APT=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root)
}

# The containerd-store engine: Debian unstable's docker.io 28.5, docker-cli,
# containerd 2.1, docker-buildx 0.29 (and cosign 3), extracted (not installed:
# they declare a newer libc but use only GLIBC_2.34 symbols); bookworm's runc
# replaces theirs, which needs GLIBC_2.38.
install_modern() {
  if [[ -x $MODERN_ROOT/usr/sbin/dockerd ]] && [[ -x $MODERN_ROOT/usr/bin/cosign ]] &&
    [[ -x $MODERN_ROOT/usr/libexec/docker/cli-plugins/docker-buildx ]]; then
    log "containerd engine: already extracted in $MODERN_ROOT ($("$MODERN_ROOT/usr/sbin/dockerd" --version))"
    return 0
  fi
  command -v runc >/dev/null || {
    apt_update
    "${APT[@]}" install -y -qq runc >&2
  }
  local t
  t=$(mktemp -d)
  private_apt "$t" "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main"
  log "containerd engine: fetching ${MODERN_PACKAGES[*]} from Debian unstable (machine's apt sources unchanged)"
  apt-get "${PRIVATE_APT[@]}" update -qq >&2
  mkdir -p "$t/debs"
  (cd "$t/debs" && apt-get "${PRIVATE_APT[@]}" download "${MODERN_PACKAGES[@]}" >&2)
  rm -rf "$MODERN_ROOT.new"
  mkdir -p "$MODERN_ROOT.new"
  local deb
  for deb in "$t"/debs/*.deb; do dpkg-deb -x "$deb" "$MODERN_ROOT.new"; done
  rm -f "$MODERN_ROOT.new/usr/bin/runc" "$MODERN_ROOT.new/usr/sbin/runc"
  rm -rf "$MODERN_ROOT" "$t"
  mv "$MODERN_ROOT.new" "$MODERN_ROOT"
  "$MODERN_ROOT/usr/sbin/dockerd" --version >&2 || die "the extracted dockerd does not run on this machine"
  log "containerd engine: extracted in $MODERN_ROOT"
}

# A static arm64 busybox for multi-platform test images (Debian's busybox-static:arm64).
install_arm64_busybox() {
  local dest=$HOME_DIR/arm64/busybox
  if [[ -x $dest ]]; then
    log "arm64 busybox: already in $dest"
    return 0
  fi
  local t
  t=$(mktemp -d)
  private_apt "$t" "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main"
  PRIVATE_APT+=(-o APT::Architecture=arm64 -o APT::Architectures=arm64)
  log "arm64 busybox: fetching busybox-static:arm64"
  apt-get "${PRIVATE_APT[@]}" update -qq >&2
  (cd "$t" && apt-get "${PRIVATE_APT[@]}" download busybox-static:arm64 >&2)
  dpkg-deb -x "$t"/busybox-static_*.deb "$t/root"
  mkdir -p "$(dirname "$dest")"
  install -m 0755 "$t/root/bin/busybox" "$dest"
  rm -rf "$t"
  log "arm64 busybox: $dest"
}

# qemu-aarch64 registered in binfmt_misc with the F flag, so arm64 binaries run
# in containers (binfmt-support registers it on install; a new boot may not have).
register_qemu() {
  local misc=/proc/sys/fs/binfmt_misc
  [[ -e $misc/register ]] || mount -t binfmt_misc binfmt_misc "$misc" 2>/dev/null || true
  if [[ -e $misc/qemu-aarch64 ]]; then
    return 0
  fi
  if command -v update-binfmts >/dev/null; then
    update-binfmts --enable qemu-aarch64 >&2 2>/dev/null || update-binfmts --import qemu-aarch64 >&2 || true
  fi
  [[ -e $misc/qemu-aarch64 ]] && log "qemu-aarch64: registered in binfmt_misc" ||
    log "qemu-aarch64: not registered (no binfmt_misc here?); arm64 RUN steps will fail"
}

# buildx is not in bookworm; trixie's docker-buildx (one static binary) works
# on it. Fetched through a private apt state so the machine's sources stay as
# they are.
install_buildx() {
  local t o
  t=$(mktemp -d)
  mkdir -p "$t/lists/partial" "$t/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$t/sources.list"
  o=(-o "Dir::Etc::sourcelist=$t/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$t/lists" -o "Dir::Cache=$t/cache" -o APT::Sandbox::User=root)
  log "buildx: fetching docker-buildx from Debian trixie (machine's apt sources unchanged)"
  apt-get "${o[@]}" update -qq >&2
  (cd "$t" && apt-get "${o[@]}" download docker-buildx >&2)
  log "buildx: installing $(basename "$t"/docker-buildx_*.deb)"
  "${APT[@]}" install -y -qq --no-install-recommends "$t"/docker-buildx_*.deb >&2
  rm -rf "$t"
  docker buildx version >/dev/null 2>&1 || die "buildx installed but 'docker buildx version' fails"
  log "buildx: $(docker buildx version)"
}

cmd_node24() {
  local bin=$ROOT/.tools/node_modules/node/bin
  if [[ -x $bin/node ]] && [[ $("$bin/node" --version) == v24.* ]]; then
    log "node24: $("$bin/node" --version) in .tools"
  else
    if ! command -v npm >/dev/null; then
      apt_update
      log "apt-get install npm (to fetch Node 24 from the npm registry)"
      "${APT[@]}" install -y -qq --no-install-recommends npm >&2
    fi
    log "node24: npm install --prefix .tools --no-save node@24"
    npm install --prefix "$ROOT/.tools" --no-save --no-audit --no-fund node@24 >&2
    [[ $("$bin/node" --version) == v24.* ]] || die "node@24 installed but $bin/node is $("$bin/node" --version)"
    log "node24: $("$bin/node" --version)"
  fi
  echo "$bin"
}

check_buildx() {
  docker buildx version >/dev/null 2>&1 || die "docker buildx is missing: run scripts/engine.sh install"
  # The docker driver (dockerd's own BuildKit) is the one that works without fetching images.
  # Read whole first: grep -q stops reading early, and pipefail would count buildx's SIGPIPE.
  local inspect
  inspect=$(docker buildx inspect default 2>/dev/null || true)
  grep -Eq '^Driver: +docker$' <<<"$inspect" ||
    die "the default buildx builder does not use the docker driver: $(docker buildx ls 2>&1)"
  docker buildx ls >&2
}

start_classic() {
  if docker info >/dev/null 2>&1; then
    log "start: a Docker engine already answers; leaving it as it is"
    check_buildx
    return 0
  fi
  command -v dockerd >/dev/null || die "dockerd is missing: run scripts/engine.sh install"
  local pidfile=$DOCKER_STATE/dockerd.pid logfile=$DOCKER_STATE/dockerd.log i start
  if alive "$pidfile"; then
    die "dockerd (pid $(cat "$pidfile")) runs but 'docker info' fails; see $logfile or run scripts/engine.sh stop"
  fi
  if ! grep -Eq '^[^ ]+ [^ ]+ cgroup2? ' /proc/mounts; then
    command -v cgroupfs-mount >/dev/null || die "no cgroup filesystem is mounted: run scripts/engine.sh install"
    log "start: no cgroup filesystem mounted; running cgroupfs-mount"
    cgroupfs-mount >&2
  fi
  rm -f "$pidfile"
  mkdir -p "$DOCKER_STATE/data" "$DOCKER_STATE/exec"
  # A unix DOCKER_HOST names the socket to listen on (an engine beside another one).
  local host=()
  [[ ${DOCKER_HOST:-} == unix://* ]] && host=(--host "$DOCKER_HOST")
  log "start: dockerd --data-root $DOCKER_STATE/data ${host[*]} (log $logfile)"
  start=$(date +%s%N)
  # dockerd writes its own pidfile (and refuses one that names a live process).
  setsid dockerd --data-root "$DOCKER_STATE/data" --exec-root "$DOCKER_STATE/exec" \
    --pidfile "$pidfile" "${host[@]}" >"$logfile" 2>&1 </dev/null &
  local pid=$!
  for ((i = 0; i < 300; i++)); do
    if docker info >/dev/null 2>&1; then
      log "start: dockerd (pid $pid) answers after $((($(date +%s%N) - start) / 1000000)) ms"
      check_buildx
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "---- last lines of $logfile ----" >&2
  tail -n 30 "$logfile" >&2 || true
  echo "$pid" >"$pidfile"
  stop_pid "$pidfile" 10
  die "dockerd did not come up within 30 s"
}

stop_classic() {
  local pidfile=$DOCKER_STATE/dockerd.pid
  if ! alive "$pidfile"; then
    log "stop: no dockerd started by scripts/engine.sh is running"
  else
    log "stop: stopping dockerd (pid $(cat "$pidfile"))"
    stop_pid "$pidfile" 30
  fi
  # dockerd unmounts its layers on a clean stop; a killed one may leave some.
  if [[ -d $DOCKER_STATE ]]; then
    local m
    for m in $(findmnt -rn -o TARGET | grep -F "$DOCKER_STATE/" | sort -r || true); do
      umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$DOCKER_STATE"
    log "stop: removed $DOCKER_STATE"
  fi
}

# The environment that selects the containerd-store engine: its CLI first on
# PATH, its socket, and a Docker config directory whose cli-plugins/ has buildx 0.29.
modern_env() {
  echo "export DOCKER_HOST=unix://$MODERN_SOCKET"
  echo "export PATH=$MODERN_ROOT/usr/bin:\$PATH"
  echo "export DOCKER_CONFIG=$MODERN_CONFIG"
}

modern_docker() {
  DOCKER_HOST=unix://$MODERN_SOCKET DOCKER_CONFIG=$MODERN_CONFIG PATH=$MODERN_ROOT/usr/bin:$PATH docker "$@"
}

start_modern() {
  [[ -x $MODERN_ROOT/usr/sbin/dockerd ]] || die "the containerd engine is missing: run scripts/engine.sh install"
  mkdir -p "$MODERN_CONFIG/cli-plugins"
  ln -sfn "$MODERN_ROOT/usr/libexec/docker/cli-plugins/docker-buildx" "$MODERN_CONFIG/cli-plugins/docker-buildx"
  [[ -f $MODERN_CONFIG/config.json ]] || echo '{}' >"$MODERN_CONFIG/config.json"
  if modern_docker info >/dev/null 2>&1; then
    log "start: the containerd engine already answers on $MODERN_SOCKET"
    if bash "$ROOT/scripts/buildkit.sh" status >/dev/null 2>&1; then
      bash "$ROOT/scripts/buildkit.sh" image
    fi
    return 0
  fi
  local pidfile=$MODERN_STATE/dockerd.pid logfile=$MODERN_STATE/dockerd.log i start
  if alive "$pidfile"; then
    die "the containerd engine (pid $(cat "$pidfile")) runs but 'docker info' fails; see $logfile or run scripts/engine.sh stop containerd"
  fi
  rm -f "$pidfile"
  mkdir -p "$MODERN_STATE/data" "$MODERN_STATE/exec"
  # Its own bridge: a second dockerd must never touch the first one's docker0.
  if ! ip link show "$MODERN_BRIDGE" >/dev/null 2>&1; then
    ip link add "$MODERN_BRIDGE" type bridge
    ip addr add "$MODERN_SUBNET" dev "$MODERN_BRIDGE"
    ip link set "$MODERN_BRIDGE" up
  fi
  cat >"$MODERN_STATE/daemon.json" <<JSON
{"features": {"containerd-snapshotter": true}, "iptables": false, "ip6tables": false,
 "bridge": "$MODERN_BRIDGE"}
JSON
  log "start: containerd-store dockerd on $MODERN_SOCKET (log $logfile)"
  start=$(date +%s%N)
  PATH=$MODERN_ROOT/usr/bin:$MODERN_ROOT/usr/sbin:$PATH setsid "$MODERN_ROOT/usr/sbin/dockerd" \
    --config-file "$MODERN_STATE/daemon.json" --data-root "$MODERN_STATE/data" \
    --exec-root "$MODERN_STATE/exec" --pidfile "$pidfile" -H "unix://$MODERN_SOCKET" \
    >"$logfile" 2>&1 </dev/null &
  local pid=$!
  for ((i = 0; i < 600; i++)); do
    if modern_docker info >/dev/null 2>&1; then
      log "start: containerd-store dockerd (pid $pid) answers after $((($(date +%s%N) - start) / 1000000)) ms"
      modern_docker info --format '{{.ServerVersion}} {{json .DriverStatus}}' >&2
      modern_docker info --format '{{json .DriverStatus}}' | grep -q 'io.containerd.snapshotter' ||
        die "the containerd engine does not use the containerd image store"
      local inspect
      inspect=$(modern_docker buildx inspect default 2>/dev/null || true)
      grep -Eq '^Driver: +docker$' <<<"$inspect" ||
        die "the containerd engine's default builder does not use the docker driver: $inspect"
      modern_docker buildx version >&2
      # The image of the docker-container driver, when buildkitd is built (install builds it).
      if bash "$ROOT/scripts/buildkit.sh" status >/dev/null 2>&1; then
        bash "$ROOT/scripts/buildkit.sh" image
      fi
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "---- last lines of $logfile ----" >&2
  tail -n 30 "$logfile" >&2 || true
  echo "$pid" >"$pidfile"
  stop_pid "$pidfile" 10
  die "the containerd-store dockerd did not come up within 60 s"
}

stop_modern() {
  local pidfile=$MODERN_STATE/dockerd.pid
  if alive "$pidfile"; then
    log "stop: stopping the containerd-store dockerd (pid $(cat "$pidfile"))"
    stop_pid "$pidfile" 30
  else
    log "stop: no containerd-store dockerd started by scripts/engine.sh is running"
  fi
  # Its managed containerd may outlive it for a moment.
  pkill -f "containerd --config $MODERN_STATE/exec" 2>/dev/null || true
  if [[ -d $MODERN_STATE ]]; then
    local m
    for m in $(findmnt -rn -o TARGET | grep -F "$MODERN_STATE/" | sort -r || true); do
      umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$MODERN_STATE"
    log "stop: removed $MODERN_STATE"
  fi
  if ip link show "$MODERN_BRIDGE" >/dev/null 2>&1; then ip link delete "$MODERN_BRIDGE" || true; fi
}

# Which engines a start/stop concerns: classic, containerd, or both.
engines_of() {
  case ${1:-all} in
  all) echo classic containerd ;;
  classic | containerd) echo "$1" ;;
  *) die "unknown engine '$1': expected classic or containerd" ;;
  esac
}

cmd_start() {
  local e
  for e in $(engines_of "${1:-all}"); do
    if [[ $e == classic ]]; then
      # The classic engine is the default one: never the socket a DOCKER_HOST of the other names.
      [[ ${DOCKER_HOST:-} == "unix://$MODERN_SOCKET" ]] && unset DOCKER_HOST
      start_classic
    else
      start_modern
    fi
  done
}

cmd_stop() {
  local e
  for e in $(engines_of "${1:-all}"); do
    if [[ $e == classic ]]; then stop_classic; else stop_modern; fi
  done
}

cmd_env() {
  case ${1:-} in
  containerd) modern_env ;;
  classic) echo "unset DOCKER_HOST DOCKER_CONFIG" ;;
  *) die "usage: scripts/engine.sh env classic|containerd" ;;
  esac
}

cmd_registry_start() {
  (($# == 2 || $# == 4)) || die "usage: scripts/engine.sh registry-start NAME PORT [USER PASS]"
  local name=$1 port=$2 user=${3:-} pass=${4:-}
  [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "registry name '$name': expected letters, digits, '.', '_' or '-'"
  [[ $port =~ ^[0-9]+$ ]] || die "registry port '$port': expected a number"
  command -v docker-registry >/dev/null || die "docker-registry is missing: run scripts/engine.sh install"
  local dir=$STATE/registry/$name
  if alive "$dir/registry.pid"; then
    [[ $(cat "$dir/port") == "$port" ]] ||
      die "registry $name already runs on port $(cat "$dir/port"), not $port"
    log "registry $name: already running on 127.0.0.1:$port"
    echo "127.0.0.1:$port"
    return 0
  fi
  rm -rf "$dir"
  mkdir -p "$dir/storage"
  echo "$port" >"$dir/port"
  {
    echo "version: 0.1"
    echo "log: {level: warn}"
    echo "storage:"
    echo "  filesystem: {rootdirectory: $dir/storage}"
    echo "  delete: {enabled: true}"
    echo "http: {addr: '127.0.0.1:$port'}"
    if [[ -n $user ]]; then
      command -v htpasswd >/dev/null || die "htpasswd is missing: run scripts/engine.sh install"
      htpasswd -Bbn "$user" "$pass" >"$dir/htpasswd"
      echo "auth:"
      echo "  htpasswd: {realm: build-tag-push, path: $dir/htpasswd}"
    fi
  } >"$dir/config.yml"
  log "registry $name: docker-registry on 127.0.0.1:$port${user:+ (htpasswd user $user)}, storage $dir/storage"
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$dir/registry.pid"
  local i code
  for ((i = 0; i < 100; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    if [[ $code == 200 || $code == 401 ]]; then
      log "registry $name: /v2/ answers $code"
      echo "127.0.0.1:$port"
      return 0
    fi
    alive "$dir/registry.pid" || break
    sleep 0.1
  done
  tail -n 20 "$dir/registry.log" >&2 || true
  stop_pid "$dir/registry.pid" 5
  die "registry $name did not answer on 127.0.0.1:$port"
}

cmd_registry_stop() {
  (($# == 1)) || die "usage: scripts/engine.sh registry-stop NAME"
  local dir=$STATE/registry/$1
  if alive "$dir/registry.pid"; then
    log "registry $1: stopping (pid $(cat "$dir/registry.pid"))"
    stop_pid "$dir/registry.pid" 10
  else
    log "registry $1: not running"
  fi
  rm -rf "$dir"
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
  install) cmd_install "$@" ;;
  node24) cmd_node24 "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  env) cmd_env "$@" ;;
  registry-start) cmd_registry_start "$@" ;;
  registry-stop) cmd_registry_stop "$@" ;;
  buildkit) exec bash "$ROOT/scripts/buildkit.sh" "$@" ;;
  *)
    sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    [[ -z $cmd || $cmd == -h || $cmd == --help ]] || die "unknown command '$cmd'"
    ;;
  esac
}

main "$@"
