# Shared by scripts/run and scripts/test: find Python 3.12+, make .venv, install the project.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  local candidate version
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  # pyenv keeps 3.12/3.13 installed but not selected: ask it directly.
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])' | sort -rV); do
      candidate="$(pyenv root)/versions/$version/bin/python3"
      [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
  fi
  return 1
}

ensure_venv() {
  local stamp=.venv/.installed-from
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    local py
    if ! py="$(find_python)"; then
      echo "BZPEER needs Python 3.12 or newer (Django 6), and none was found." >&2
      echo "Install one (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12." >&2
      exit 1
    fi
    echo "==> creating .venv with $py ($("$py" --version))"
    rm -rf .venv
    "$py" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  local want; want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> installing Python dependencies (pyproject.toml)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
    echo "$want" > "$stamp"
  fi
}
