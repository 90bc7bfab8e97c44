#!/usr/bin/env bash
# A real BuildKit daemon for the remote and docker-container builders (see shared/ENGINE.md).
#
#   scripts/engine.sh buildkit build    buildkitd + buildctl, compiled offline from Debian's sources
#                                       (sid: moby/buildkit from golang-github-docker-docker-dev, Go,
#                                       the golang-*-dev packages it imports); once, cached in ENGINE_HOME
#   scripts/engine.sh buildkit start    buildkitd on a unix socket and tcp://127.0.0.1:BUILDKIT_PORT (1234)
#   scripts/engine.sh buildkit stop     stops what `start` started
#   scripts/engine.sh buildkit addr     prints the daemon's addresses (unix, tcp), one a line
#   scripts/engine.sh buildkit image    the moby/buildkit:buildx-stable-1 image (buildkitd, buildctl,
#                                       runc) in the containerd-store engine, for the docker-container driver
#   scripts/engine.sh buildkit status   says what is built and running; exit 1 when the binaries are missing
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${ENGINE_STATE:-/tmp/btp-engine}/buildkit
HOME_DIR=${ENGINE_HOME:-/opt/btp-engine}
BK_HOME=$HOME_DIR/buildkit
BIN=$BK_HOME/bin
PORT=${BUILDKIT_PORT:-1234}
SOCKET=$STATE/buildkitd.sock
IMAGE=moby/buildkit:buildx-stable-1
# The package that ships github.com/moby/buildkit (v0.25.2 in 28.5.2+dfsg4), and the source
# package whose vendor/ holds the few libraries Debian does not package.
SOURCE_PACKAGE=golang-github-docker-docker-dev
ENGINE_SOURCE=docker.io
TAGS='osusergo netgo static_build seccomp'

log() { echo "engine: buildkit: $*" >&2; }
die() {
  echo "engine: buildkit: error: $*" >&2
  exit 1
}

alive() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

built() { [[ -x $BIN/buildkitd && -x $BIN/buildctl && -s $BK_HOME/VERSION ]]; }

# apt-get options for a private apt state in $1 (sid, binaries and sources): the machine's
# own sources and lists stay as they are.
private_apt() {
  local dir=$1 keys=/usr/share/keyrings/debian-archive-keyring.gpg
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  {
    echo "deb [signed-by=$keys] http://deb.debian.org/debian sid main"
    echo "deb-src [signed-by=$keys] http://deb.debian.org/debian sid main"
  } >"$dir/sources.list"
  APT=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o APT::Sandbox::User=root)
}

# Removes the stargz and fuse-overlayfs snapshotters from the OCI worker (file $1, in place):
# Debian's stargz is built against containerd v1, fuse-overlayfs is not packaged.
drop_snapshotters() {
  local file=$1
  awk '
    /^\tfuseoverlayfs "|^\tsgz[a-z]+ "|^\tremotesn "/ { next }
    /^\t"github.com\/pelletier\/go-toml"$/ { next }
    { sub(/fuseoverlayfs\.Supported\(commonRoot\)/, "errors.New(\"fuse-overlayfs is not built in\")") }
    /^\tcase "fuse-overlayfs":$/ { skip = 1 }
    /^\tdefault:$/ { skip = 0 }
    /^func sourceWithSession\(/ { fn = 1 }
    fn { if ($0 == "}") fn = 0; next }
    !skip { print }
    END {
      # Imports that only the dropped code used.
      print "\nvar (\n\t_ = fmt.Sprintf\n\t_ = filepath.Join\n\t_ = strings.CutPrefix\n\t_ = reference.Parse\n\t_ = resolver.DefaultPool\n\t_ = logrus.DebugLevel\n)"
    }
  ' "$file" >"$file.new"
  grep -q 'stargz-snapshotter\|fuseoverlayfs\.' "$file.new" && die "could not drop the stargz and fuse-overlayfs snapshotters from $file"
  mv "$file.new" "$file"
}

cmd_build() {
  # One build at a time (CI starts one in the background; the tests of both engines may ask at
  # once): a second waits for the first, then finds the binaries built.
  mkdir -p "$HOME_DIR"
  exec 9>"$HOME_DIR/.buildkit-build.lock"
  if ! flock -n 9; then
    log "another build of buildkitd runs; waiting for it"
    flock 9
  fi
  if built; then
    log "already built in $BIN ($(cat "$BK_HOME/VERSION"))"
    return 0
  fi
  command -v xz >/dev/null || die "xz is missing (apt-get install xz-utils; scripts/engine.sh install does it)"
  local t start=$SECONDS
  t=$(mktemp -d /tmp/btp-buildkit-build.XXXXXX)
  # shellcheck disable=SC2064 # expand now: t is local
  trap "rm -rf '$t'" EXIT
  private_apt "$t/apt"
  log "apt-get update (Debian unstable, private state; the machine's apt sources unchanged)"
  apt-get "${APT[@]}" update -qq >&2
  # Go, the package with buildkit's tree, and every golang-*-dev package either of them or the
  # engine's source needs (its Build-Depends): the libraries buildkitd imports.
  local build_deps
  build_deps=$(apt-cache "${APT[@]}" showsrc --only-source "$ENGINE_SOURCE" |
    awk '/^Version:/ { v = $2 } /^Build-Depends:/ { bd[v] = $0 } END { n = 0; for (k in bd) if (k > best || n++ == 0) best = k; print bd[best] }' |
    sed 's/^Build-Depends: //' | tr ',' '\n' | sed -E 's/^ +//; s/[ (].*//' | grep '^golang-' | grep -v '^golang-any$' || true)
  [[ -n $build_deps ]] || die "apt-cache showsrc $ENGINE_SOURCE listed no golang build dependencies"
  # shellcheck disable=SC2086 # a list of package names
  apt-cache "${APT[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances --no-pre-depends golang-go "$SOURCE_PACKAGE" golang-github-tonistiigi-go-archvariant-dev $build_deps 2>/dev/null |
    grep -E '^golang-' | sort -u >"$t/packages"
  log "downloading $(wc -l <"$t/packages") golang packages from Debian unstable"
  mkdir -p "$t/debs" "$t/src" "$t/root"
  # shellcheck disable=SC2046 # a list of package names
  (cd "$t/debs" && apt-get "${APT[@]}" download $(cat "$t/packages") >"$t/download.log" 2>&1) ||
    {
      tail -n 20 "$t/download.log" >&2
      die "apt-get download failed"
    }
  (cd "$t/src" && apt-get "${APT[@]}" source --download-only "$ENGINE_SOURCE" >"$t/source.log" 2>&1) || true
  ls "$t/src"/*.orig.tar.xz >/dev/null 2>&1 || {
    tail -n 20 "$t/source.log" >&2
    die "apt-get source --download-only $ENGINE_SOURCE fetched no .orig.tar.xz"
  }
  log "extracting ($((SECONDS - start)) s so far)"
  local deb
  for deb in "$t"/debs/*.deb; do dpkg-deb -x "$deb" "$t/root"; done
  local goroot gopath=$t/root/usr/share/gocode src
  goroot=$(ls -d "$t"/root/usr/lib/go-1.* | sort -V | tail -n 1)
  src=$gopath/src
  [[ -d $src/github.com/moby/buildkit/cmd/buildkitd ]] || die "$SOURCE_PACKAGE holds no github.com/moby/buildkit/cmd/buildkitd"
  # The libraries only the engine's source keeps (vendor/): added where Debian has none.
  mkdir -p "$t/vendor"
  tar xJf "$t"/src/*.orig.tar.xz -C "$t/vendor" --wildcards '*/engine/vendor/*'
  local vendor dir
  vendor=$(ls -d "$t"/vendor/*/engine/vendor)
  while IFS= read -r dir; do
    [[ -d $src/$dir ]] && continue
    mkdir -p "$src/$dir"
    find "$vendor/$dir" -maxdepth 1 -type f -exec cp -n {} "$src/$dir/" \;
  done < <(cd "$vendor" && find . -name '*.go' -printf '%h\n' | sed 's#^\./##' | sort -u)
  # GOPATH mode knows no modules: a module path with a major version (github.com/x/y/v2) is a
  # link to the package's own directory.
  local mod modpath
  while IFS= read -r -d '' mod; do
    modpath=$(awk '$1 == "module" { print $2; exit }' "$mod")
    dir=$(dirname "${mod#"$src"/}")
    if [[ $modpath =~ /v[0-9]+$ && $dir/${modpath##*/} == "$modpath" && ! -e $src/$modpath ]]; then
      ln -s . "$src/$modpath"
    fi
  done < <(find "$src" -name go.mod -print0)
  drop_snapshotters "$src/github.com/moby/buildkit/cmd/buildkitd/main_oci_worker.go"
  local version
  version=$(sed -n 's/^# github.com\/moby\/buildkit v\([^ ]*\).*/\1/p' "$vendor/modules.txt" | head -n 1 || true)
  version=${version:-unknown}
  log "compiling buildkitd and buildctl $version with $("$goroot/bin/go" version) (a few minutes)"
  mkdir -p "$t/out"
  GOROOT=$goroot GOPATH=$gopath GO111MODULE=off GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0 \
    GOFLAGS= GOCACHE=$t/gocache nice "$goroot/bin/go" build -trimpath -tags "$TAGS" \
    -ldflags "-s -w -X github.com/moby/buildkit/version.Version=v$version -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" \
    -o "$t/out/" github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl >&2
  "$t/out/buildkitd" --version >&2 || die "the built buildkitd does not run"
  rm -rf "$BK_HOME.new"
  mkdir -p "$BK_HOME.new/bin"
  install -m 0755 "$t/out/buildkitd" "$t/out/buildctl" "$BK_HOME.new/bin/"
  echo "buildkit v$version, $("$goroot/bin/go" version | cut -d' ' -f3), Debian $SOURCE_PACKAGE $(dpkg-deb -f "$t"/debs/"${SOURCE_PACKAGE}"_*.deb Version)" >"$BK_HOME.new/VERSION"
  rm -rf "$BK_HOME"
  mv "$BK_HOME.new" "$BK_HOME"
  log "built in $BIN in $((SECONDS - start)) s: $(cat "$BK_HOME/VERSION")"
}

# buildkitd's config: the OCI worker with overlayfs, and the loopback test registries plain
# HTTP. BuildKit already speaks plain HTTP to localhost and 127.0.0.1 (any port: the tests'
# registries take free ports); the registries scripts/engine.sh started are listed as well.
write_config() {
  local file=$1 dir port
  {
    echo "# written by scripts/engine.sh buildkit start"
    echo "[worker.oci]"
    echo "  enabled = true"
    echo "  snapshotter = \"overlayfs\""
    echo "[worker.containerd]"
    echo "  enabled = false"
    for dir in "${ENGINE_STATE:-/tmp/btp-engine}"/registry/*/; do
      [[ -s $dir/port ]] || continue
      port=$(cat "$dir/port")
      echo "[registry.\"127.0.0.1:$port\"]"
      echo "  http = true"
    done
  } >"$file"
}

buildctl_ok() { "$BIN/buildctl" --addr "unix://$SOCKET" debug workers >/dev/null 2>&1; }

cmd_start() {
  built || die "buildkitd is not built: run scripts/engine.sh buildkit build (or install)"
  command -v runc >/dev/null || die "runc is missing: run scripts/engine.sh install"
  if buildctl_ok; then
    log "buildkitd already answers on unix://$SOCKET"
    return 0
  fi
  local pidfile=$STATE/buildkitd.pid logfile=$STATE/buildkitd.log i
  alive "$pidfile" && die "buildkitd (pid $(cat "$pidfile")) runs but does not answer; see $logfile or run scripts/engine.sh buildkit stop"
  mkdir -p "$STATE/root"
  write_config "$STATE/buildkitd.toml"
  log "start: buildkitd on unix://$SOCKET and tcp://127.0.0.1:$PORT (log $logfile)"
  setsid "$BIN/buildkitd" --config "$STATE/buildkitd.toml" --root "$STATE/root" \
    --oci-worker=true --containerd-worker=false --oci-worker-snapshotter=overlayfs \
    --addr "unix://$SOCKET" --addr "tcp://127.0.0.1:$PORT" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for ((i = 0; i < 300; i++)); do
    if buildctl_ok; then
      log "start: buildkitd (pid $(cat "$pidfile")) answers; workers:"
      "$BIN/buildctl" --addr "unix://$SOCKET" debug workers >&2
      return 0
    fi
    alive "$pidfile" || break
    sleep 0.1
  done
  tail -n 30 "$logfile" >&2 || true
  cmd_stop
  die "buildkitd did not answer within 30 s"
}

cmd_stop() {
  local pidfile=$STATE/buildkitd.pid pid i
  if alive "$pidfile"; then
    pid=$(cat "$pidfile")
    log "stop: stopping buildkitd (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  else
    log "stop: no buildkitd started by scripts/engine.sh is running"
  fi
  if [[ -d $STATE ]]; then
    local m
    for m in $(findmnt -rn -o TARGET | grep -F "$STATE/" | sort -r || true); do
      umount -l "$m" 2>/dev/null || true
    done
    rm -rf "$STATE"
  fi
}

cmd_addr() {
  echo "unix://$SOCKET"
  echo "tcp://127.0.0.1:$PORT"
}

# The image buildx's docker-container driver runs: buildkitd as its entrypoint, buildctl (buildx
# runs `buildctl debug workers` in it) and runc with the libraries it links, from this machine.
cmd_image() {
  built || die "buildkitd is not built: run scripts/engine.sh buildkit build (or install)"
  eval "$("$ROOT/scripts/engine.sh" env containerd)"
  docker info >/dev/null 2>&1 || die "the containerd-store engine does not answer: run scripts/engine.sh start containerd"
  local want
  want="$(cat "$BK_HOME/VERSION")"
  if [[ $(docker image inspect --format '{{index .Config.Labels "btp.buildkit"}}' "$IMAGE" 2>/dev/null) == "$want" ]]; then
    log "image: $IMAGE already in the containerd-store engine"
    return 0
  fi
  local t runc lib
  t=$(mktemp -d /tmp/btp-buildkit-image.XXXXXX)
  mkdir -p "$t/rootfs/usr/bin" "$t/rootfs/tmp" "$t/rootfs/etc"
  cp "$BIN/buildkitd" "$BIN/buildctl" "$t/rootfs/usr/bin/"
  runc=$(command -v runc)
  cp "$runc" "$t/rootfs/usr/bin/runc"
  for lib in $(ldd "$runc" | grep -oE '/[^ ]+\.so[^ ]*'); do
    mkdir -p "$t/rootfs$(dirname "$lib")"
    cp -L "$lib" "$t/rootfs$lib"
  done
  printf 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/bin\nLABEL btp.buildkit="%s"\nVOLUME /var/lib/buildkit\nENTRYPOINT ["buildkitd"]\n' "$want" >"$t/Dockerfile"
  log "image: building $IMAGE in the containerd-store engine"
  docker buildx build --builder default --load -t "$IMAGE" "$t" >&2 2>"$t/log" || {
    tail -n 20 "$t/log" >&2
    rm -rf "$t"
    die "could not build $IMAGE"
  }
  rm -rf "$t"
  log "image: $IMAGE is in the containerd-store engine"
}

cmd_status() {
  if built; then log "built: $(cat "$BK_HOME/VERSION") in $BIN"; else
    log "not built: run scripts/engine.sh buildkit build"
    return 1
  fi
  if buildctl_ok; then log "running on $(cmd_addr | tr '\n' ' ')"; else log "not running"; fi
}

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
  build) cmd_build "$@" ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  addr) cmd_addr "$@" ;;
  image) cmd_image "$@" ;;
  status) cmd_status "$@" ;;
  *)
    sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    [[ -z $cmd || $cmd == -h || $cmd == --help ]] || die "unknown command '$cmd'"
    ;;
  esac
}

main "$@"
