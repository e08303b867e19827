"""Review speed: a 2,000-segment draft scored against a 100k-unit memory, lookup and sacrebleu timed apart.

The memory is grown from ../shared/data/parallel; the draft is 2,000 of its English sides with
one word dropped (so most segments find an exact memory match and a near-perfect draft), plus
a share of sources edited so their reference comes from a fuzzy match. Baseline in the same
run: the same review with the exhaustive matcher (a scan of every unit per segment) on a
slice, extrapolated.

    .venv/bin/python bench/score.py [--units 100000] [--segments 2000]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import grown_pairs  # noqa: E402
from memories import service  # noqa: E402
from memories.database import make_engine, make_session_factory, migrate  # noqa: E402
from memories.matching import ExhaustiveMatcher, Matcher  # noqa: E402
from memories.records import Segment, UnitRecord  # noqa: E402
from tm_service.review.review import SegmentInput, review_segments  # noqa: E402

BASELINE_SLICE = 50


def draft_of(english: str, rng: random.Random) -> str:
    words = english.split()
    if len(words) > 3:
        del words[rng.randrange(len(words))]
    return " ".join(words)


def edited_source(french: str, rng: random.Random) -> str:
    words = french.split()
    if len(words) > 6:
        words[rng.randrange(len(words))] = "différemment"
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--segments", type=int, default=2000)
    arguments = parser.parse_args()
    rng = random.Random(7)
    pairs = grown_pairs(arguments.units)
    with tempfile.TemporaryDirectory(prefix="tm-bench-score-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'tm.sqlite'}")
        migrate(engine)
        sessions = make_session_factory(engine)
        session = sessions()
        service.create_memory(session, "bench")
        started = time.perf_counter()
        service.import_records(session, "bench", (UnitRecord(Segment("fr", f), Segment("en", e)) for f, e in pairs))
        imported = time.perf_counter() - started

        chosen = rng.sample(range(min(len(pairs), 28_000)), arguments.segments)
        segments = []
        for n, index in enumerate(chosen):
            french, english = pairs[index]
            source = edited_source(french, rng) if n % 5 == 0 else french
            segments.append(SegmentInput(source, draft_of(english, rng)))

        matcher = Matcher(sessions)
        started = time.perf_counter()
        matcher.build()
        built = time.perf_counter() - started
        started = time.perf_counter()
        review = review_segments(session, matcher, segments, source_lang="fr", target_lang="en")
        total = time.perf_counter() - started

        exhaustive = ExhaustiveMatcher(sessions)
        baseline = review_segments(session, exhaustive, segments[:BASELINE_SLICE], source_lang="fr", target_lang="en")
        baseline_lookup = baseline.timings["lookup_seconds"] * arguments.segments / BASELINE_SLICE

    summary = review.summary()
    print(f"memory: {arguments.units:,} units imported in {imported:.1f} s; index built in {built:.1f} s")
    print(f"draft: {arguments.segments:,} segments, {summary['with_reference']:,} with a memory reference, "
          f"{summary['flagged']:,} flagged {summary['flags']}")
    print(f"{'step':28} {'seconds':>8} {'ms/segment':>11}")
    for name, seconds in (("reference lookup (index)", review.timings["lookup_seconds"]),
                          ("sacrebleu + flags", review.timings["scoring_seconds"]),
                          ("whole review", total)):
        print(f"{name:28} {seconds:8.2f} {1000 * seconds / arguments.segments:11.2f}")
    print(f"{'lookup by exhaustive scan':28} {baseline_lookup:8.2f} {1000 * baseline_lookup / arguments.segments:11.2f}"
          f"   (extrapolated from {BASELINE_SLICE} segments; {baseline_lookup / review.timings['lookup_seconds']:.0f}x slower)")
    print(f"corpus: " + ", ".join(f"{name} {score.score:.2f}" for name, score in review.corpus.items()))
    print(f"target: under 10 s for the whole review -> {'met' if total < 10 else 'missed'} ({total:.2f} s)")


if __name__ == "__main__":
    main()
