"""The aligner stays a pure library: no web framework, no database, no sibling packages."""
from __future__ import annotations

import ast
from pathlib import Path

import alignment

FORBIDDEN = {"flask", "sqlalchemy", "memories", "tm_service", "werkzeug", "alembic", "psycopg"}
ALLOWED_THIRD_PARTY = {"numpy", "sentencepiece", "lxml", "rapidfuzz"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_alignment_imports_only_what_it_may() -> None:
    package = Path(alignment.__file__).parent
    import sys

    standard = set(sys.stdlib_module_names)
    for path in sorted(package.glob("*.py")):
        modules = _imported_modules(path)
        assert not modules & FORBIDDEN, f"{path.name} imports {modules & FORBIDDEN}"
        unexpected = modules - standard - ALLOWED_THIRD_PARTY - {"alignment", "__future__"}
        assert not unexpected, f"{path.name} imports {unexpected}"


def test_package_is_typed() -> None:
    assert (Path(alignment.__file__).parent / "py.typed").exists()
