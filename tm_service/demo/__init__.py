"""The demo memory: sample releases bundled with the package, stored as `make serve` starts."""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources

from sqlalchemy.orm import Session

from memories import repository, service
from memories.errors import NotFound

logger = logging.getLogger(__name__)

DEMO_DESCRIPTION = "Sample New Brunswick-style news releases, French and English"


@dataclass(frozen=True, slots=True)
class SampleRelease:
    slug: str
    french: str
    english: str

    @property
    def title(self) -> str:
        return self.english.strip().splitlines()[0]

    @property
    def published_on(self) -> datetime | None:
        try:
            return datetime.strptime(self.slug[:10], "%Y-%m-%d").replace(tzinfo=timezone.utc)
        except ValueError:
            return None


def sample_releases() -> Iterator[SampleRelease]:
    """Yield the bundled releases (`<slug>.fr.txt` beside `<slug>.en.txt`), by slug."""
    folder = resources.files(__package__) / "releases"
    for french in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if not french.name.endswith(".fr.txt"):
            continue
        slug = french.name.removesuffix(".fr.txt")
        english = folder / f"{slug}.en.txt"
        yield SampleRelease(slug, french.read_text("utf-8"), english.read_text("utf-8"))


def paired_lines(release: SampleRelease) -> list[service.AlignedPair]:
    """Pair the pre-split releases line by line (their lines correspond one to one)."""
    french = [line.strip() for line in release.french.splitlines() if line.strip()]
    english = [line.strip() for line in release.english.splitlines() if line.strip()]
    if len(french) != len(english):
        raise ValueError(f"sample release {release.slug} has {len(french)} French and {len(english)} English lines")
    return [service.AlignedPair(fr, en, 1.0) for fr, en in zip(french, english)]


def build_demo(session: Session, memory_name: str) -> int:
    """Create the demo memory if needed and store every bundled release; return units added."""
    try:
        repository.memory_by_name(session, memory_name)
    except NotFound:
        service.create_memory(session, memory_name, description=DEMO_DESCRIPTION)
    added = 0
    for release in sample_releases():
        result = service.store_release(
            session,
            memory_name,
            title=release.title,
            origin=f"{release.slug}.fr.txt / {release.slug}.en.txt",
            source_text=release.french,
            target_text=release.english,
            pairs=paired_lines(release),
            published_on=release.published_on,
            creator="tm demo",
        )
        added += result.added if result else 0
    logger.info("demo memory %s: %d units added", memory_name, added)
    return added
