#!/usr/bin/env bash
# Install the Debian 12 packages PMF Workbook and its tests need.
#
#   make system            (or: bash scripts/setup-system.sh)
#
# Fast path: when everything is already there it checks and exits, without
# touching apt. Otherwise, as root it runs apt-get update and installs only
# what is missing; as anyone else it prints the apt-get command to run and
# exits non-zero.
#
# What each package is for:
#   make, python3.11-venv      build the .venv (python3.11 -m venv needs ensurepip)
#   ca-certificates            pip and npm downloads over HTTPS
#   libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
#   libfontconfig1 libjpeg62-turbo libffi8
#                              WeasyPrint 70 (PDF reports) loads these at run time
#   fonts-dejavu-core fonts-liberation
#                              fonts for the PDFs and the browser, so output
#                              looks the same on every machine
#   poppler-utils              pdftoppm / pdftotext: tests look inside the PDFs
#   libreoffice-calc           tests open generated return templates in a real
#                              spreadsheet (headless), as a service would
#   chromium                   headless browser for accessibility tests and
#                              screenshots (Debian's, not Playwright's download)
#   chromium-headless-shell    the browser's headless shell, which prints the
#                              PDF reports (faster to start, less memory)
#   nodejs npm                 `npm ci` installs axe-core, the accessibility
#                              rules engine, pinned in package-lock.json
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# "package probe": the package is taken as present when dpkg says it is
# installed or, where a probe is given, when the probe succeeds (so a tool
# installed another way, e.g. Node.js from NodeSource, is not reinstalled).
REQUIRED=(
  "make command:make"
  "ca-certificates -"
  "python3.11-venv python:ensurepip"
  "libpango-1.0-0 -"
  "libpangoft2-1.0-0 -"
  "libharfbuzz0b -"
  "libharfbuzz-subset0 -"
  "libfontconfig1 -"
  "libjpeg62-turbo -"
  "libffi8 -"
  "fonts-dejavu-core -"
  "fonts-liberation -"
  "poppler-utils command:pdftoppm"
  "libreoffice-calc -"
  "chromium file:/usr/bin/chromium"
  "chromium-headless-shell file:/usr/bin/chromium-headless-shell"
  "nodejs command:node"
  "npm command:npm"
)

probe() {
  case "$1" in
    -) return 1 ;;
    command:*) command -v "${1#command:}" >/dev/null 2>&1 ;;
    file:*) [ -x "${1#file:}" ] ;;
    python:*) command -v python3.11 >/dev/null 2>&1 && python3.11 -c "import ${1#python:}" >/dev/null 2>&1 ;;
    *) echo "setup-system.sh: unknown probe $1" >&2; exit 2 ;;
  esac
}

missing_packages() {
  local names=() entry
  for entry in "${REQUIRED[@]}"; do names+=("${entry%% *}"); done
  # One dpkg-query for the lot keeps the fast path fast.
  local installed=""
  if command -v dpkg-query >/dev/null 2>&1; then
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${names[@]}" 2>/dev/null \
      | awk '$2 == "installed" { print $1 }' || true)
  fi
  local package check
  for entry in "${REQUIRED[@]}"; do
    package=${entry%% *}
    check=${entry#* }
    if grep -qxF "$package" <<<"$installed"; then continue; fi
    if probe "$check"; then continue; fi
    printf '%s\n' "$package"
  done
}

mapfile -t MISSING < <(missing_packages)
if [ "${#MISSING[@]}" -eq 0 ]; then
  echo "System packages: all present."
  exit 0
fi

INSTALL="apt-get install -y --no-install-recommends ${MISSING[*]}"

if [ "$(id -u)" -ne 0 ]; then
  echo "PMF Workbook needs these Debian packages, which are not installed: ${MISSING[*]}" >&2
  echo "Ask an administrator to run (or run yourself with sudo):" >&2
  echo "" >&2
  echo "  sudo apt-get update && sudo $INSTALL" >&2
  echo "" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system.sh supports Debian 12 (apt-get not found). Install the equivalents of: ${MISSING[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${MISSING[*]}"
apt-get update -q
$INSTALL

mapfile -t STILL_MISSING < <(missing_packages)
if [ "${#STILL_MISSING[@]}" -ne 0 ]; then
  echo "setup-system.sh: still missing after apt-get install: ${STILL_MISSING[*]}" >&2
  exit 1
fi
echo "System packages: installed."
