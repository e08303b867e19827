"""`tm score`: segment files and whole documents, in every output format."""
from __future__ import annotations

import json

import pytest

from tm_service.commands.memories import memories_group
from tm_service.commands.score import score_command
from tm_service.commands.transfer import import_command


@pytest.fixture
def files(runner, tmp_path):
    memory = tmp_path / "memory.tsv"
    memory.write_text(
        "Le projet coûtera 4,5 millions de dollars.\tThe project will cost $4.5 million.\n"
        "Les travaux commenceront au printemps prochain.\tWork will begin next spring.\n",
        "utf-8",
    )
    assert runner.invoke(import_command, [str(memory), "--memory", "news"]).exit_code == 0
    source, draft = tmp_path / "source.txt", tmp_path / "draft.txt"
    source.write_text("Le projet coûtera 4,5 millions de dollars.\nLes travaux commenceront au printemps prochain.\n", "utf-8")
    draft.write_text("The project will cost $5.4 million.\nWork will begin next spring.\n", "utf-8")
    return source, draft


def test_table(runner, files):
    source, draft = files
    result = runner.invoke(score_command, ["--source", str(source), "--draft", str(draft)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:5] == ["#", "BLEU", "chrF2++", "TER", "match"]
    assert "number_mismatch" in lines[2]
    assert lines[3].split()[1:4] == ["100.0", "100.0", "0.0"]
    assert any(line.startswith("BLEU signature: nrefs:1|case:mixed|eff:no") for line in lines)


def test_json_tsv_and_html(runner, files, tmp_path):
    source, draft = files
    result = runner.invoke(score_command, ["--source", str(source), "--draft", str(draft), "--format", "json"])
    body = json.loads(result.output)
    assert set(body["corpus"]) == {"bleu", "chrf", "ter"}
    assert body["segments"][1]["reference_origin"] == "memory"
    assert body["segments"][1]["match_similarity"] == 100
    tsv = runner.invoke(score_command, ["--source", str(source), "--draft", str(draft), "--format", "tsv"]).output
    assert tsv.splitlines()[0].split("\t")[:3] == ["segment", "source", "draft"]
    out = tmp_path / "report.html"
    result = runner.invoke(score_command, ["--source", str(source), "--draft", str(draft), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0
    page = out.read_text("utf-8")
    assert "<del>$5.4</del>" in page and "<ins>$4.5</ins>" in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]


def test_documents_mode(runner, tmp_path):
    runner.invoke(memories_group, ["create", "news"])
    source, draft = tmp_path / "fr.txt", tmp_path / "en.txt"
    source.write_text("Le projet coûtera 4,5 millions de dollars. Les travaux commenceront au printemps.", "utf-8")
    draft.write_text("The project will cost $4.5 million. Work will begin in the spring.", "utf-8")
    result = runner.invoke(score_command, ["--source", str(source), "--draft", str(draft), "--documents", "--format", "json"])
    assert result.exit_code == 0, result.output
    segments = json.loads(result.output)["segments"]
    assert [s["pairing"]["link"] for s in segments] == ["1-1", "1-1"]


def test_mismatched_lines_are_one_clear_error(runner, tmp_path):
    runner.invoke(memories_group, ["create", "news"])
    source, draft = tmp_path / "s.txt", tmp_path / "d.txt"
    source.write_text("Un.\nDeux.\n", "utf-8")
    draft.write_text("One.\n", "utf-8")
    result = runner.invoke(score_command, ["--source", str(source), "--draft", str(draft)])
    assert result.exit_code == 1
    assert "2 source, 1 draft" in result.output and "--documents" in result.output
