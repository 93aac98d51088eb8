# shellcheck shell=bash
# tools/lib/common.sh: helpers shared by ./lab and by extension commands (tools/commands/*).
#
# Source it from bash after setting LAB_ROOT (./lab exports it for extension commands):
#
#   source "$LAB_ROOT/tools/lib/common.sh"
#
# What it defines:
#   lab_info MSG / lab_warn MSG / lab_die MSG   messages on stderr, prefixed with "lab:"
#   lab_ensure_deps [--dev]  install the missing packages of tools/deps.txt (--dev: and of
#                            tools/deps-dev.txt); `./lab deps` runs it on its own
#   lab_is_handout           true in a student handout (no tools/selftest.d)
#   lab_handout_lacks W N    "W needs N, which a student handout does not include"; exit 2
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
# Packages (Debian 12 and 13, Ubuntu 22.04 and 24.04)
# ---------------------------------------------------------------------------------------------
#
# Two lists, one requirement per line (format: tools/deps.txt):
#   tools/deps.txt       what building, testing and grading need: every ./lab command
#   tools/deps-dev.txt   what only ./lab selftest and development need (browser, linters)
# A line "a | b" is met when a or b is installed; a missing one installs a.

# Prints the requirement lines of the base list, and of the development list too with --dev
# (comments and blanks removed, alternatives separated by "|" without spaces).
lab_deps_list() {
  local -a files=("$LAB_ROOT/tools/deps.txt")
  [[ "${1:-}" != --dev || ! -f "$LAB_ROOT/tools/deps-dev.txt" ]] ||
    files+=("$LAB_ROOT/tools/deps-dev.txt")
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "${files[@]}"
}

# Prints, for every requirement that no installed package meets, the package to install (its
# first alternative). Takes lab_deps_list's options.
lab_missing_packages() {
  local -a wanted names
  mapfile -t wanted < <(lab_deps_list "$@")
  ((${#wanted[@]} > 0)) || return 0
  mapfile -t names < <(printf '%s\n' "${wanted[@]}" | tr '|' '\n')
  # One dpkg-query call for all packages: "name status" per known package. Unknown names are
  # reported on stderr and make it exit 1; both are expected here.
  local installed
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${names[@]}" 2>/dev/null ||
    true)"
  local line pkg met
  for line in "${wanted[@]}"; do
    met=0
    for pkg in ${line//|/ }; do
      if grep -qxF "$pkg installed" <<<"$installed"; then
        met=1
        break
      fi
    done
    ((met)) || printf '%s\n' "${line%%|*}"
  done
}

# Makes sure the packages of tools/deps.txt (and of tools/deps-dev.txt with --dev) are
# installed. As root: `apt-get update` once, then one `apt-get install` of the missing ones.
# Otherwise it prints the command to run and fails. Without dpkg (not Debian or Ubuntu) it only
# warns: the CMake configure step names what is missing.
lab_ensure_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    lab_warn "dpkg-query not found (not Debian or Ubuntu?): cannot check the packages of" \
      "tools/deps.txt; install their equivalents by hand"
    return 0
  fi
  local -a missing
  mapfile -t missing < <(lab_missing_packages "$@")
  ((${#missing[@]} > 0)) || return 0

  local install_args="install -y --no-install-recommends ${missing[*]}"
  if [[ "$(id -u)" != 0 ]]; then
    lab_info "missing packages: ${missing[*]}"
    lab_info "install them with:"
    printf '  sudo apt-get %s\n' "$install_args" >&2
    return 1
  fi
  lab_info "installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086  # the package names are words on purpose
  if ! apt-get update || ! apt-get $install_args; then
    lab_warn "apt-get could not install: ${missing[*]}"
    if grep -qs '^ID=ubuntu' /etc/os-release; then
      lab_warn "on Ubuntu, catch2 is in the 'universe' component: add-apt-repository universe"
    fi
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# Student handouts
# ---------------------------------------------------------------------------------------------

# True in a student handout (`./lab handout DIR` writes one): it leaves out the course staff's
# files, among them the selftest steps, which every course repository has.
lab_is_handout() { [[ ! -d "$LAB_ROOT/tools/selftest.d" ]]; }

# Stops a command that needs what a handout leaves out, in one line: lab_handout_lacks WHAT
# NEEDED. Exit status 2, as for a command line that cannot work here.
lab_handout_lacks() {
  printf 'lab: error: %s needs %s, which a student handout does not include\n' "$1" "$2" >&2
  exit 2
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
