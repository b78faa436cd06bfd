#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter (Mesa 3.4+ needs it), or fail with a clear message.
# Order: $PYTHON, python3.12/3.13/3.14 on PATH, python3, then pyenv and system install folders.
set -u
check() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.12 python3.13 python3.14 python3 python)
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]* /usr/local/bin /usr/bin /opt/python*/bin; do
  for exe in "$dir"/bin/python3 "$dir"/python3.1[2-9]; do
    [ -x "$exe" ] && candidates+=("$exe")
  done
done
for candidate in "${candidates[@]}"; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if check "$path"; then
    echo "$path"
    exit 0
  fi
done
echo "error: cohesion_sim needs Python 3.12 or newer (Mesa 3.5 does not support older versions)," >&2
echo "       and none was found. Install python3.12, or set PYTHON=/path/to/python3.12 and retry." >&2
exit 1
