#!/usr/bin/env bash
# The real Docker engine, buildx and registry that the end-to-end tests, CI and
# the example use, on a Debian 12 machine as root (see shared/ENGINE.md).
#
#   scripts/engine.sh install                    dockerd, buildx, registry, htpasswd, busybox-static, time
#   scripts/engine.sh node24                     Node 24 in .tools; prints its bin dir on stdout
#   scripts/engine.sh start                      dockerd in the background (no-op when one answers)
#   scripts/engine.sh stop                       stops the dockerd that `start` started
#   scripts/engine.sh registry-start NAME PORT [USER PASS]
#                                                a registry on 127.0.0.1:PORT; prints the address
#   scripts/engine.sh registry-stop NAME
#
# Every command is idempotent and says what it does on stderr. State (data root,
# pidfiles, logs, registry storage) lives under ENGINE_STATE (/tmp/btp-engine).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${ENGINE_STATE:-/tmp/btp-engine}
DOCKER_STATE=$STATE/docker
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
  if ((${#missing[@]})); then
    apt_update
    log "apt-get install ${missing[*]}"
    # With the recommended packages, as verified in ENGINE.md.
    "${APT[@]}" install -y -qq "${missing[@]}" >&2
  else
    log "docker.io, docker-registry, apache2-utils, cgroupfs-mount, busybox-static, time: already installed"
  fi

  if docker buildx version >/dev/null 2>&1; then
    log "buildx: already installed ($(docker buildx version))"
  else
    install_buildx
  fi
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
  docker buildx inspect default 2>/dev/null | grep -Eq '^Driver: +docker$' ||
    die "the default buildx builder does not use the docker driver: $(docker buildx ls 2>&1)"
  docker buildx ls >&2
}

cmd_start() {
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

cmd_stop() {
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
  registry-start) cmd_registry_start "$@" ;;
  registry-stop) cmd_registry_stop "$@" ;;
  *)
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    [[ -z $cmd || $cmd == -h || $cmd == --help ]] || die "unknown command '$cmd'"
    ;;
  esac
}

main "$@"
