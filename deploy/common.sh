# Shared by deploy/run.sh and deploy/test.sh: install what is missing, then build.
# Sourced, not run.

# Debian 12 packages the build and the tests need.
CHATD_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libcaf-dev libsqlitecpp-dev libsqlite3-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libsodium-dev libssl-dev openssl ca-certificates libcli11-dev libutf8proc-dev libicu-dev
  libreadline-dev libgtest-dev libhowardhinnant-date-dev tzdata telnet netcat-openbsd
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the packages in "$@" that are not installed yet (apt-get update first).
install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

# build_tree DIR BUILD_TYPE [cmake args...]: configures (once) and builds everything.
build_tree() {
  local dir=$1 type=$2
  shift 2
  cmake -S "$CHATD_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

CHATD_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
