"""Imports point one way: tm_service -> memories, alignment; never back, never Flask below."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "alignment": {"flask", "sqlalchemy", "alembic", "memories", "tm_service", "werkzeug"},
    "memories": {"flask", "tm_service", "werkzeug"},
}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upwards(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_levels(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    offenders = {path: names for path, names in offenders.items() if names}
    assert offenders == {}


def test_the_walk_sees_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import flask.json\nfrom sqlalchemy.orm import Session\nfrom . import sibling\n")
    assert imported_top_levels(sample) == {"flask", "sqlalchemy"}
