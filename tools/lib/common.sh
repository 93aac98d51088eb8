# shellcheck shell=bash
# tools/lib/common.sh: helpers shared by ./lab and by extension commands (tools/commands/*).
#
# Source it from bash after setting LAB_ROOT (./lab exports it for extension commands):
#
#   source "$LAB_ROOT/tools/lib/common.sh"
#
# What it defines:
#   lab_info MSG / lab_warn MSG / lab_die MSG   messages on stderr, prefixed with "lab:"
#   lab_ensure_deps          install the missing Debian packages listed in tools/deps.txt
#   lab_jobs                 build parallelism: $LAB_JOBS, or the number of CPUs
#   LAB_PRESETS, lab_is_preset P
#                            the CMake presets ./lab accepts (same names as CMakePresets.json)
#   lab_build_dir P          build/<P>, the binary directory of preset P
#   lab_configure P          `cmake --preset P` unless build/<P> is already configured
#   lab_build P [TARGET...]  configure, then build every target or only the given ones
#   lab_executables P SUFFIX names N of the executables bin/N<SUFFIX> that preset P builds
#
# The functions return non-zero on failure instead of relying on `set -e`, so that callers may
# use them inside `if` or `||` (where bash ignores `set -e`).

# The presets of CMakePresets.json that ./lab knows. Keep in sync with that file (the selftest
# step tools/selftest.d/05-cli.sh checks it). The first one is the default.
LAB_PRESETS=(debug release asan tsan solution)

lab_info() { printf 'lab: %s\n' "$*" >&2; }
lab_warn() { printf 'lab: warning: %s\n' "$*" >&2; }
lab_die() {
  printf 'lab: error: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Debian dependencies
# ---------------------------------------------------------------------------------------------

# Prints the package names of tools/deps.txt, one per line (comments and blanks removed).
lab_deps_list() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$LAB_ROOT/tools/deps.txt"
}

# Prints the packages of tools/deps.txt that dpkg does not report as installed.
lab_missing_packages() {
  local -a wanted
  mapfile -t wanted < <(lab_deps_list)
  ((${#wanted[@]} > 0)) || return 0
  # One dpkg-query call for all packages: "name status" per known package. Unknown names are
  # reported on stderr and make it exit 1; both are expected here.
  local installed
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null ||
    true)"
  local pkg
  for pkg in "${wanted[@]}"; do
    grep -qxF "$pkg installed" <<<"$installed" || printf '%s\n' "$pkg"
  done
}

# Makes sure every package of tools/deps.txt is installed. As root: `apt-get update` once, then
# one `apt-get install` of the missing packages. Otherwise prints the command to run and fails.
# On a system without dpkg it only warns: the CMake configure step names what is missing.
lab_ensure_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    lab_warn "dpkg-query not found (not Debian?): cannot check the packages of tools/deps.txt"
    return 0
  fi
  local -a missing
  mapfile -t missing < <(lab_missing_packages)
  ((${#missing[@]} > 0)) || return 0

  local install_args="install -y --no-install-recommends ${missing[*]}"
  if [[ "$(id -u)" != 0 ]]; then
    lab_info "missing Debian packages: ${missing[*]}"
    lab_info "install them with:"
    printf '  sudo apt-get %s\n' "$install_args" >&2
    return 1
  fi
  lab_info "installing missing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update || return 1
  # shellcheck disable=SC2086  # the package names are words on purpose
  apt-get $install_args || return 1
}

# ---------------------------------------------------------------------------------------------
# Presets, configure, build
# ---------------------------------------------------------------------------------------------

# Build parallelism: $LAB_JOBS if set (a positive integer), else the number of CPUs.
lab_jobs() {
  if [[ -n "${LAB_JOBS:-}" ]]; then
    [[ "$LAB_JOBS" =~ ^[1-9][0-9]*$ ]] || {
      printf 'lab: error: LAB_JOBS must be a positive integer (got %s)\n' "$LAB_JOBS" >&2
      return 2
    }
    printf '%s\n' "$LAB_JOBS"
  else
    nproc 2>/dev/null || echo 2
  fi
}

lab_is_preset() {
  local p
  for p in "${LAB_PRESETS[@]}"; do
    [[ "$p" == "$1" ]] && return 0
  done
  return 1
}

lab_build_dir() { printf '%s/build/%s\n' "$LAB_ROOT" "$1"; }

# Runs "$@" while holding an exclusive lock on build directory $1, so that two ./lab commands
# (two terminals, or a helper script) never run CMake or Ninja in the same tree at once.
lab_with_build_lock() {
  local dir=$1
  shift
  mkdir -p "$dir" || return 1
  if ! command -v flock >/dev/null 2>&1; then
    "$@"
    return
  fi
  (
    exec 9>"$dir/.lab.lock"
    if ! flock -n 9; then
      lab_info "waiting for another ./lab command that is using ${dir#"$LAB_ROOT"/}"
      flock 9
    fi
    "$@"
  )
}

# Configures preset $1 unless its build tree already has a build.ninja. (Once configured,
# Ninja re-runs CMake by itself when a CMakeLists.txt changes.)
_lab_configure_unlocked() {
  local preset=$1
  [[ -f "$(lab_build_dir "$preset")/build.ninja" ]] && return 0
  lab_info "configuring build/$preset (cmake --preset $preset)"
  (cd "$LAB_ROOT" && cmake --preset "$preset")
}

_lab_build_unlocked() {
  local preset=$1
  shift
  local jobs
  jobs="$(lab_jobs)" || return 2
  _lab_configure_unlocked "$preset" || return 1
  local -a args=(--build --preset "$preset" -j "$jobs")
  (($# == 0)) || args+=(--target "$@")
  (cd "$LAB_ROOT" && cmake "${args[@]}")
}

lab_configure() {
  lab_with_build_lock "$(lab_build_dir "$1")" _lab_configure_unlocked "$1"
}

lab_build() {
  lab_with_build_lock "$(lab_build_dir "$1")" _lab_build_unlocked "$@"
}

# Prints, sorted, the names N of the executables bin/N<SUFFIX> of configured preset $1 (built
# or not): `./lab test` uses it with _tests to know the suites, `./lab bench` with _bench.
lab_executables() {
  local dir suffix=$2
  dir="$(lab_build_dir "$1")"
  ninja -C "$dir" -t targets all 2>/dev/null |
    sed -n "s|^bin/\([A-Za-z0-9_]*\)${suffix}: CXX_EXECUTABLE_LINKER.*|\1|p" | sort -u
}

# No ccache in CI: every CI run starts from a clean clone anyway (LabWarnings.cmake also skips
# ccache when CI is set at configure time).
if [[ "${CI:-}" == true ]]; then
  export CCACHE_DISABLE=1
fi
