"""Finding parallel releases in a folder: `X.fr.txt`/`X.en.txt`, `fr/X`/`en/X`, or a CSV manifest."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from memories.errors import InvalidInput

MANIFEST_NAMES = ("manifest.csv", "releases.csv")
TEXT_SUFFIXES = (".txt", ".html", ".htm", "")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class ReleasePair:
    """One release in two languages, as files on disk."""

    name: str
    source_path: Path
    target_path: Path
    title: str | None = None
    published_on: datetime | None = None
    url: str | None = None

    @property
    def origin(self) -> str:
        return self.url or f"{self.source_path.name} / {self.target_path.name}"


def find_release_pairs(folder: Path, *, source_lang: str, target_lang: str) -> list[ReleasePair]:
    """Return the release pairs in `folder`, by name.

    A manifest (`manifest.csv` with columns `source,target[,title,date,url]`, paths relative
    to the folder) wins; otherwise `<src>/X` beside `<tgt>/X`, then `X.<src>.ext` beside
    `X.<tgt>.ext`. Raises InvalidInput when the folder holds none.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder")
    for name in MANIFEST_NAMES:
        if (folder / name).is_file():
            return _from_manifest(folder, folder / name)
    pairs = _from_language_folders(folder, source_lang, target_lang) + _from_suffixes(
        folder, source_lang, target_lang
    )
    if not pairs:
        raise InvalidInput(
            f"no release pairs in {folder}: expected X.{source_lang}.txt with X.{target_lang}.txt, "
            f"{source_lang}/X with {target_lang}/X, or manifest.csv"
        )
    return sorted(pairs, key=lambda pair: pair.name)


def _from_manifest(folder: Path, manifest: Path) -> list[ReleasePair]:
    pairs = []
    with open(manifest, newline="", encoding="utf-8-sig") as stream:
        reader = csv.DictReader(stream)
        missing = {"source", "target"} - set(reader.fieldnames or ())
        if missing:
            raise InvalidInput(f"{manifest.name}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            source, target = folder / row["source"].strip(), folder / row["target"].strip()
            for path in (source, target):
                if not path.is_file():
                    raise InvalidInput(f"{manifest.name} line {line}: no file {path}")
            pairs.append(
                ReleasePair(
                    name=source.stem,
                    source_path=source,
                    target_path=target,
                    title=(row.get("title") or "").strip() or None,
                    published_on=_date(row.get("date") or "") or _date(source.name),
                    url=(row.get("url") or "").strip() or None,
                )
            )
    return pairs


def _from_language_folders(folder: Path, source_lang: str, target_lang: str) -> list[ReleasePair]:
    source_folder, target_folder = folder / source_lang, folder / target_lang
    if not (source_folder.is_dir() and target_folder.is_dir()):
        return []
    return [
        ReleasePair(path.stem, path, target_folder / path.name, published_on=_date(path.name))
        for path in sorted(source_folder.iterdir())
        if path.is_file() and (target_folder / path.name).is_file()
    ]


def _from_suffixes(folder: Path, source_lang: str, target_lang: str) -> list[ReleasePair]:
    pairs = []
    for path in sorted(folder.iterdir()):
        for suffix in TEXT_SUFFIXES:
            marker = f".{source_lang}{suffix}"
            if path.is_file() and path.name.endswith(marker):
                stem = path.name[: -len(marker)]
                target = folder / f"{stem}.{target_lang}{suffix}"
                if target.is_file():
                    pairs.append(ReleasePair(stem, path, target, published_on=_date(stem)))
                break
    return pairs


def _date(text: str) -> datetime | None:
    match = _DATE_IN_NAME.search(text)
    if not match:
        return None
    try:
        return datetime(*(int(part) for part in match.groups()), tzinfo=timezone.utc)
    except ValueError:
        return None
