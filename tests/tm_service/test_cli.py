"""The `tm` commands, run through Flask's CLI runner against a real database."""
from __future__ import annotations

from tm_service.commands.demo import demo_command
from tm_service.commands.memories import memories_group, stats
from tm_service.commands.transfer import export_command, import_command


def test_memories_create_list_delete(runner):
    result = runner.invoke(memories_group, ["create", "news", "--description", "Releases"])
    assert result.exit_code == 0, result.output
    assert "created memory news (fr-en)" in result.output
    assert runner.invoke(memories_group, ["list"]).output.startswith("news\tfr-en\t0 units\tReleases")
    result = runner.invoke(memories_group, ["delete", "news", "--yes"])
    assert result.exit_code == 0 and "deleted memory news" in result.output
    assert runner.invoke(memories_group, ["list"]).output.strip() == "no memories"


def test_errors_are_one_line_and_non_zero(runner):
    runner.invoke(memories_group, ["create", "news"])
    result = runner.invoke(memories_group, ["create", "news"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: a memory named 'news' already exists"
    result = runner.invoke(stats, ["--memory", "missing"])
    assert result.exit_code == 1 and result.output.strip() == "Error: no memory named 'missing'"


def test_import_export_round_trip_tsv(runner, tmp_path):
    source = tmp_path / "pairs.tsv"
    source.write_text("Bonjour\tHello\nMerci\tThank you\r\nBonjour\tHello\n", "utf-8")
    result = runner.invoke(import_command, [str(source), "--memory", "news"])
    assert result.exit_code == 0, result.output
    assert "3 units read, 2 added, 1 duplicates, 0 skipped" in result.output
    exported = tmp_path / "out.tsv"
    result = runner.invoke(export_command, ["--memory", "news", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    assert exported.read_text("utf-8") == "Bonjour\tHello\nMerci\tThank you\n"


def test_bad_import_names_the_line_and_changes_nothing(runner, tmp_path):
    source = tmp_path / "bad.tsv"
    source.write_text("Un\tOne\nDeux\tTwo\nTrois\n", "utf-8")
    result = runner.invoke(import_command, [str(source), "--memory", "news"])
    assert result.exit_code == 1
    assert "line 3" in result.output
    result = runner.invoke(stats, ["--memory", "news", "--json"])
    assert '"units": 0' in result.output


def test_unknown_format_is_refused(runner, tmp_path):
    source = tmp_path / "pairs.csv"
    source.write_text("a,b\n", "utf-8")
    result = runner.invoke(import_command, [str(source), "--memory", "news"])
    assert result.exit_code == 1 and "cannot tell the format" in result.output


def test_demo_is_idempotent(runner):
    first = runner.invoke(demo_command, [])
    assert first.exit_code == 0, first.output
    again = runner.invoke(demo_command, [])
    assert "8 releases, 0 units added" in again.output
    added = int(first.output.split(", ")[1].split()[0])
    assert added >= 80
    assert f"{added} in all" in again.output


def test_unwritable_export_is_one_line(runner, tmp_path):
    runner.invoke(memories_group, ["create", "news"])
    result = runner.invoke(export_command, ["--memory", "news", "-o", str(tmp_path / "missing" / "out.tmx")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: No such file or directory")
    assert "Traceback" not in result.output


def test_import_brings_the_index_files_up_to_date(runner, app, tmp_path):
    import json

    from tm_service.commands.index import index_group

    source = tmp_path / "pairs.tsv"
    source.write_text("Le conseil adopte le budget.\tThe council adopts the budget.\nMerci\tThank you\n", "utf-8")
    result = runner.invoke(import_command, [str(source), "--memory", "news"])
    assert result.exit_code == 0, result.output
    assert "match index rebuilt: 4 unit sides" in result.output
    status = json.loads(runner.invoke(index_group, ["status", "--json"]).output)
    assert status["current"] and status["segments"] >= 1 and status["folder"] == app.config["INDEX_DIR"]
    source.write_text("Le conseil vote le budget.\tThe council votes the budget.\n", "utf-8")
    result = runner.invoke(import_command, [str(source), "--memory", "news"])
    assert "match index updated: 6 unit sides" in result.output, result.output
    built = runner.invoke(index_group, ["build", "--json"])
    assert built.exit_code == 0 and json.loads(built.output)["sides"] == 6 and json.loads(built.output)["rebuilt"]
    with app.app_context():
        from tm_service import matching
        from tm_service.db import get_session

        [match] = matching.suggest("Le conseil vote le budget.", source_lang="fr", target_lang="en", memory=None,
                                   min_similarity=95, limit=5, order="quality")
        assert match.target == "The council votes the budget." and get_session() is not None
