"""Benchmark of the sentence aligner and splitter on the gold sets of ../shared/data.

Not a timed test: it prints strict/lax F1 (../shared/eval/score_align.py), a breakdown by
gold link type, sentences per second, and hunalign's figures beside ours; then how small
inputs fare (one pair of short texts at a time, as the web page and POST /api/v1/align send:
the demo releases, whole and in pieces, and news openings); then the splitter's boundary
precision/recall on paragraphs joined from ../shared/data/parallel.

    .venv/bin/python bench/align.py [--set transread|news|textberg] [--no-splitter] [--no-small]

TM_SHARED_DATA overrides the location of the shared data directory.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from alignment import DEFAULT_MIN_SCORE, Aligner, align, format_links  # noqa: E402
from alignment.evaluation import boundary_scores  # noqa: E402

# Strict F1 of hunalign measured on these exact files (../shared/data/README.md), without and
# with a dictionary, and the targets.
HUNALIGN = {
    "transread": (0.785, 0.833, 0.90),
    "news": (0.918, 0.928, 0.97),
    "textberg": (0.659, None, 0.78),
}
LINK_TYPES = ("1-1", "1-2", "2-1", "2-2", "1-3", "3-1", "1-0", "0-1")


def shared_data() -> Path:
    return Path(os.environ.get("TM_SHARED_DATA") or REPOSITORY / "../shared/data").resolve()


def load_scorer(data: Path) -> ModuleType:
    path = data.parent / "eval" / "score_align.py"
    spec = importlib.util.spec_from_file_location("score_align", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class GoldSet:
    name: str
    source_lang: str
    target_lang: str
    documents: list[tuple[list[str], list[str], list[str]]]  # source, target, gold lines


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def load_sets(data: Path) -> list[GoldSet]:
    gold = data / "align-gold"
    sets = []
    transread = gold / "transread-fr-en"
    books = sorted(p.name[:-len(".fr-en.gold")] for p in transread.glob("*.fr-en.gold"))
    sets.append(GoldSet("transread", "fr", "en", [
        (_lines(transread / f"{b}.fr"), _lines(transread / f"{b}.en"),
         _lines(transread / f"{b}.fr-en.gold")) for b in books
    ]))
    news = []
    with gzip.open(gold / "synthetic-news-fr-en" / "dev.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            document = json.loads(line)
            gold_lines = [f"{s}:{t}" for s, t in document["gold"]]
            news.append((document["fr"], document["en"], gold_lines))
    sets.append(GoldSet("news", "fr", "en", news))
    textberg = gold / "textberg-de-fr-dev"
    sets.append(GoldSet("textberg", "de", "fr", [
        (_lines(textberg / "dev.de"), _lines(textberg / "dev.fr"), _lines(textberg / "dev.defr"))
    ]))
    return sets


def link_kind(link: tuple[tuple[int, ...], tuple[int, ...]]) -> str:
    return f"{len(link[0])}-{len(link[1])}"


def evaluate(gold_set: GoldSet, scorer: ModuleType, repeat: int = 1) -> dict:
    """Align the set as one batch; time the best of `repeat` runs (the machine may be busy)."""
    pairs = [(source, target) for source, target, _ in gold_set.documents]
    aligner = Aligner(source_lang=gold_set.source_lang, target_lang=gold_set.target_lang)
    seconds = cpu_seconds = float("inf")
    for _ in range(max(repeat, 1)):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = aligner.align_corpus(pairs)
        seconds = min(seconds, time.perf_counter() - started)
        cpu_seconds = min(cpu_seconds, time.process_time() - cpu_started)
    documents = []
    found, total = Counter(), Counter()
    predicted = Counter()
    reliability = Counter()
    for beads, (_, _, gold_lines) in zip(result.beads, gold_set.documents):
        system = scorer.parse_links(format_links(beads).splitlines())
        gold = scorer.parse_links(gold_lines)
        documents.append((system, gold))
        gold_links = set(gold)
        for link in gold:
            total[link_kind(link)] += 1
        for link in system:
            predicted[link_kind(link)] += 1
            if link in gold_links:
                found[link_kind(link)] += 1
        for bead in beads:
            if not bead.is_deletion:
                bucket = min(int(bead.score * 5), 4)
                link = (bead.source_indices, bead.target_indices)
                reliability[bucket, link in gold_links] += 1
    scores = scorer.score(documents)
    sources = sum(len(s) for s, _, _ in gold_set.documents)
    targets = sum(len(t) for _, t, _ in gold_set.documents)
    return {
        "scores": scores, "seconds": seconds, "cpu_seconds": cpu_seconds, "sources": sources, "targets": targets,
        "found": found, "total": total, "predicted": predicted, "reliability": reliability,
    }


def print_alignment_table(results: dict[str, dict]) -> None:
    print("Sentence alignment, strict F1 on ../shared/data/align-gold (hunalign: without / with dictionary)")
    header = (f"{'set':<10} {'P':>6} {'R':>6} {'F1':>6} {'laxF1':>6} {'hunalign':>13} {'target':>7} "
              f"{'src/cpu-s':>10} {'all/cpu-s':>10} {'wall s':>7} {'cpu s':>6}")
    print(header)
    print("-" * len(header))
    for name, result in results.items():
        s = result["scores"]
        plain, dictionary, target = HUNALIGN[name]
        hun = f"{plain:.3f} / {dictionary:.3f}" if dictionary else f"{plain:.3f} / -"
        per_cpu = result["sources"] / result["cpu_seconds"]
        both_per_cpu = (result["sources"] + result["targets"]) / result["cpu_seconds"]
        print(f"{name:<10} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {s['lax_F1']:6.3f} "
              f"{hun:>13} {'>=' + format(target, '.2f'):>7} {per_cpu:10.0f} {both_per_cpu:10.0f} "
              f"{result['seconds']:7.2f} {result['cpu_seconds']:6.2f}")
    print("src/cpu-s: source sentences per CPU second of this process (the per-core rate);")
    print("all/cpu-s: source + target sentences. Best of the runs; each run trains its own")
    print("sentencepiece model and translation table. Speed target: >= 5,000 sentences/s per")
    print("core on news (hunalign: about 10,000 including start-up).")
    print()
    print("Breakdown by gold link type: gold count, strict recall (found/gold); system count")
    kinds = list(LINK_TYPES) + ["other"]
    print(f"{'set':<10} " + " ".join(f"{k:>15}" for k in kinds))
    for name, result in results.items():
        cells = []
        for kind in kinds:
            if kind == "other":
                total = sum(v for k, v in result["total"].items() if k not in LINK_TYPES)
                found = sum(v for k, v in result["found"].items() if k not in LINK_TYPES)
                made = sum(v for k, v in result["predicted"].items() if k not in LINK_TYPES)
            else:
                total, found, made = result["total"][kind], result["found"][kind], result["predicted"][kind]
            recall = f"{found / total:.2f}" if total else "  - "
            cells.append(f"{total:>5} {recall:>4} {made:>4}")
        print(f"{name:<10} " + " ".join(f"{c:>15}" for c in cells))
    print()
    print("Confidence of non-deletion links: share exactly in gold, per score bin (count)")
    bins = ["[0,.2)", "[.2,.4)", "[.4,.6)", "[.6,.8)", "[.8,1]"]
    print(f"{'set':<10} " + " ".join(f"{b:>14}" for b in bins))
    for name, result in results.items():
        cells = []
        for bucket in range(5):
            right, wrong = result["reliability"][bucket, True], result["reliability"][bucket, False]
            count = right + wrong
            cells.append(f"{right / count:.2f} ({count})" if count else "-")
        print(f"{name:<10} " + " ".join(f"{c:>14}" for c in cells))
    print()


RELEASES = REPOSITORY / "tm_service" / "demo" / "releases"


@dataclass
class SmallInputs:
    """Links of small inputs aligned one pair at a time: correct ones stored, unrelated ones not."""

    correct: int = 0
    correct_stored: int = 0
    unrelated: int = 0
    unrelated_stored: int = 0

    def add_related(self, source: list[str], target: list[str], gold: set) -> None:
        for bead in align(source, target, source_lang="fr", target_lang="en"):
            # Deletions are never stored, right or wrong: only links count.
            if not bead.is_deletion and (bead.source_indices, bead.target_indices) in gold:
                self.correct += 1
                self.correct_stored += bead.score >= DEFAULT_MIN_SCORE

    def add_unrelated(self, source: list[str], target: list[str]) -> None:
        for bead in align(source, target, source_lang="fr", target_lang="en"):
            if not bead.is_deletion:
                self.unrelated += 1
                self.unrelated_stored += bead.score >= DEFAULT_MIN_SCORE


def _release_lines() -> list[tuple[list[str], list[str]]]:
    """The demo releases' sentence lines (line k of the French translates line k of the English)."""
    releases = []
    for french in sorted(RELEASES.glob("*.fr.txt")):
        english = french.with_name(french.name.replace(".fr.txt", ".en.txt"))
        pairs = [(f, e) for f, e in zip(_lines(french), _lines(english)) if f.strip()]
        releases.append(([f for f, _ in pairs], [e for _, e in pairs]))
    return releases


def print_small_inputs_table(data: Path) -> None:
    """Whole releases and pieces of them; unrelated: each against the next release (the same genre,
    with shared templates such as media-contact lines) and news openings against other ones."""
    print(f"Small inputs aligned one pair at a time: share of links with score >= {DEFAULT_MIN_SCORE}")
    print(f"{'input':<34} {'correct links':>14} {'stored':>7} {'unrelated links':>16} {'stored':>7}")
    releases = _release_lines() if RELEASES.is_dir() else []
    for size in (None, 10, 5, 2):
        counts = SmallInputs()
        for k, (french, english) in enumerate(releases):
            other = releases[(k + 1) % len(releases)][1]
            step = size or len(french)
            for start in range(0, len(french), step):
                piece = slice(start, start + step)
                count = len(french[piece])
                counts.add_related(french[piece], english[piece], {((i,), (i,)) for i in range(count)})
                if other[piece]:
                    counts.add_unrelated(french[piece], other[piece])
        name = "demo releases, whole" if size is None else f"demo releases, {size} sentences"
        _print_small_row(name, counts)
    news = []
    with gzip.open(data / "align-gold" / "synthetic-news-fr-en" / "dev.jsonl.gz", "rt", encoding="utf-8") as lines:
        news = [json.loads(line) for line in lines][::10]
    for size in (30, 4):
        counts = SmallInputs()
        for document, following in zip(news, news[1:] + news[:1]):
            gold = {(tuple(s), tuple(t)) for s, t in document["gold"]
                    if all(i < size for i in s) and all(j < size for j in t)}
            counts.add_related(document["fr"][:size], document["en"][:size], gold)
            counts.add_unrelated(document["fr"][:size], following["en"][:size])
        _print_small_row(f"news, first {size} sentences", counts)
    print("(unrelated releases share datelines, quotes and contact lines: some of those links are")
    print(" near-translations)")
    print()


def _print_small_row(name: str, counts: SmallInputs) -> None:
    def share(stored: int, total: int) -> str:
        return f"{stored / total:.3f}" if total else "-"

    print(f"{name:<34} {counts.correct:>14} {share(counts.correct_stored, counts.correct):>7} "
          f"{counts.unrelated:>16} {share(counts.unrelated_stored, counts.unrelated):>7}")


def print_splitter_table(data: Path) -> None:
    print("Sentence splitter: boundary precision / recall on paragraphs of 1-6 joined sentences")
    print(f"{'corpus':<10} {'lang':<5} {'P':>6} {'R':>6} {'F1':>6} {'boundaries':>11}")
    for corpus in ("wmt-news", "tatoeba", "multi30k"):
        for lang, extension in (("fr", "fra"), ("en", "eng")):
            sentences = []
            for path in sorted((data / "parallel" / corpus).glob(f"*.{extension}")):
                sentences.extend(_lines(path))
            s = boundary_scores(sentences, lang)
            print(f"{corpus:<10} {lang:<5} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.boundaries:>11}")
    print("(gold lines that hold several sentences count against precision; headlines")
    print(" without final punctuation cannot be split and count against recall)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=sorted(HUNALIGN), action="append")
    parser.add_argument("--no-splitter", action="store_true")
    parser.add_argument("--no-small", action="store_true", help="skip the small-inputs table")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per set (best kept)")
    arguments = parser.parse_args()
    data = shared_data()
    if not (data / "align-gold").is_dir():
        print(f"skipped: shared data not found at {data} (set TM_SHARED_DATA to ../shared/data)")
        return 0
    scorer = load_scorer(data)
    results = {}
    for gold_set in load_sets(data):
        if arguments.set and gold_set.name not in arguments.set:
            continue
        results[gold_set.name] = evaluate(gold_set, scorer, arguments.repeat)
    if results:
        print_alignment_table(results)
    if not arguments.no_small:
        print_small_inputs_table(data)
    if not arguments.no_splitter:
        print_splitter_table(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
