"""Layout limits the project keeps: no module over 600 lines, no function over 80.

Run: ``python scripts/check_layout.py [PATH ...]`` (default: our packages and app.py). Prints each
breach as ``file:line: message`` and exits 1 if there is one. Complexity is ruff's job (C901, see
pyproject.toml); the layering is import-linter's (``[tool.importlinter]``).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = ("app.py", "server.py", "geo", "events", "kmap", "palette", "ui")


def breaches(path: Path) -> list[str]:
    """Every limit ``path`` breaks, as ``file:line: message``."""
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    out = []
    n = len(text.splitlines())
    if n > MAX_MODULE_LINES:
        out.append(f"{rel}:1: module has {n} lines (max {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            if length > MAX_FUNCTION_LINES:
                out.append(
                    f"{rel}:{node.lineno}: function {node.name} has {length} lines "
                    f"(max {MAX_FUNCTION_LINES})"
                )
    return out


def python_files(paths: list[str]) -> list[Path]:
    """The .py files under ``paths`` (relative to the repository root)."""
    files: list[Path] = []
    for p in paths:
        full = ROOT / p
        if full.is_dir():
            files += sorted(f for f in full.rglob("*.py") if "__pycache__" not in f.parts)
        elif full.exists():
            files.append(full)
    return files


def main(argv: list[str] | None = None) -> int:
    """Check the given paths (or the defaults); 1 if any limit is broken."""
    found = [b for f in python_files(argv or list(DEFAULT_PATHS)) for b in breaches(f)]
    print("\n".join(found) or "layout: every module and function within limits")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
