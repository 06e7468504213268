#!/usr/bin/env bash
# Creates (once) a Python virtual environment for one external validator and installs its pinned packages.
# Each validator gets its own venv because some share an import name (python-messaging vs messaging).
# Usage: scripts/setup/venv.sh NAME REQUIREMENT...   -> prints the venv's python path
set -euo pipefail
name=$1; shift
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="${CANVASS_VENV_ROOT:-$root/.cache/venvs}/$name"
stamp="$dir/.requirements"
want=$(printf '%s\n' "$@")
if [ ! -x "$dir/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: preparing Python venv '$name': $*" >&2
  python3 -m venv "$dir"
  "$dir/bin/python" -m pip install -q --disable-pip-version-check "$@"
  printf '%s' "$want" >"$stamp"
fi
echo "$dir/bin/python"
