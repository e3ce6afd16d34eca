"""A seller's data as a ZIP: every draft as JSON and CSV, and the photos Vinted would receive.

The archive is written to a temporary file, one photo at a time, so memory holds the finished
archive at most (export_user returns bytes) or nothing of it (write_export to a path). It never
holds a Vinted session, cookie or any other secret: only drafts and their photos are read.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from core.catalog import get_category
from core.drafts.fields import BY_NAME, EXPORTED_FIELDS
from core.drafts.models import Draft
from core.drafts.repository import DraftRepository
from core.intake.repository import BatchRepository

log = logging.getLogger(__name__)

EXPORT_FORMAT = 1
CSV_COLUMNS = (
    "id",
    "status",
    *(
        column
        for name in EXPORTED_FIELDS
        for column in (("price_target", "price_min", "price_max") if name == "price" else (name,))
    ),
    "ready",
    "missing",
    "url",
    "created",
)
_PAGE = 200
# What a part of an export is planned with, beyond the photos' own sizes (JSON, CSV, headers).
_PER_DRAFT_BYTES = 4096
_PER_ENTRY_BYTES = 200
# A spreadsheet runs a cell starting with these as a formula; the model writes these texts.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvStyle:
    """How drafts.csv reads: the separators, and words for its headers and coded values.

    The default is the machine style (comma, decimal point, codes). The bot passes the
    seller's: in French a spreadsheet expects semicolons and decimal commas.
    """

    delimiter: str = ","
    decimal: str = "."
    headers: Mapping[str, str] = field(default_factory=dict)  # column -> header
    words: Mapping[str, str] = field(default_factory=dict)  # "condition:good", "status:draft"...

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    def word(self, kind: str, code: str) -> str:
        return self.words.get(f"{kind}:{code}", code)

    def number(self, value: float) -> str:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", self.decimal)


@dataclass(frozen=True)
class ExportSummary:
    """What an export holds."""

    drafts: int
    photos: int
    missing_photos: int  # photo files gone from DATA_DIR (listed in drafts.json)
    size_bytes: int


@dataclass(frozen=True)
class _PhotoFile:
    arcname: str
    source: Path | None  # None when the file is missing


@dataclass(frozen=True)
class _Content:
    data_dir: Path
    drafts: list[Draft]  # oldest first
    photo_paths: dict[int, list[str]]  # draft id -> its photos relative to DATA_DIR, cover first
    now: datetime
    style: CsvStyle = CsvStyle()


def export_filename(now: datetime) -> str:
    """Return the export's file name, e.g. "vinted-drafts-2025-03-01-0930.zip" (UTC)."""
    if now.tzinfo is not None:
        now = now.astimezone(UTC)
    return f"vinted-drafts-{now:%Y-%m-%d-%H%M}.zip"


@dataclass(frozen=True)
class Exporter:
    """Read a seller's drafts and photos for an export."""

    drafts: DraftRepository
    photos: BatchRepository
    data_dir: Path


async def export_user(exporter: Exporter, user_id: int, *, now: datetime | None = None) -> bytes:
    """Return the ZIP of the seller's drafts (drafts.json, drafts.csv) and their photos."""
    content = await _collect(exporter, user_id, now)
    return await asyncio.to_thread(_zip_bytes, content)


async def write_export(
    exporter: Exporter, user_id: int, target: Path, *, now: datetime | None = None
) -> ExportSummary:
    """Write the same ZIP as export_user to a file, without holding it in memory."""
    content = await _collect(exporter, user_id, now)
    return await asyncio.to_thread(_zip_file, content, target)


async def write_export_parts(
    exporter: Exporter,
    user_id: int,
    directory: Path,
    *,
    max_bytes: int,
    now: datetime | None = None,
    style: CsvStyle | None = None,
) -> list[tuple[Path, ExportSummary]]:
    """Write the export as ZIPs of at most about `max_bytes` each, drafts never split.

    The parts are planned from the files' sizes before anything is written, so a large export
    never fills the disk first and is refused after; each part is a whole export of its
    drafts (drafts.json, drafts.csv and their photos).
    """
    content = await _collect(exporter, user_id, now)
    if style is not None:
        content = dataclasses.replace(content, style=style)
    return await asyncio.to_thread(_zip_parts, content, directory, max_bytes)


def _zip_parts(
    content: _Content, directory: Path, max_bytes: int
) -> list[tuple[Path, ExportSummary]]:
    located = _locate(content)
    groups: list[list[Draft]] = [[]]
    size = 0
    for draft in content.drafts:
        assert draft.id is not None
        weight = _PER_DRAFT_BYTES + sum(
            f.source.stat().st_size + _PER_ENTRY_BYTES
            for f in located.get(draft.id, [])
            if f.source is not None
        )
        if groups[-1] and size + weight > max_bytes:
            groups.append([])
            size = 0
        groups[-1].append(draft)
        size += weight
    stem = export_filename(content.now).removesuffix(".zip")
    written = []
    for n, drafts in enumerate(groups, start=1):
        name = f"{stem}.zip" if len(groups) == 1 else f"{stem}-{n}-of-{len(groups)}.zip"
        ids = {d.id for d in drafts}
        part = _Content(
            content.data_dir,
            drafts,
            {i: p for i, p in content.photo_paths.items() if i in ids},
            content.now,
            content.style,
        )
        written.append((directory / name, _zip_file(part, directory / name)))
    return written


async def _collect(exporter: Exporter, user_id: int, now: datetime | None) -> _Content:
    """Read every draft of the seller, oldest first, and the paths of its photos."""
    drafts: list[Draft] = []
    while True:
        page = await exporter.drafts.page(user_id, limit=_PAGE, offset=len(drafts))
        drafts.extend(page)
        if len(page) < _PAGE:
            break
    # A draft added while paging shifts the pages by one: keep each draft once.
    drafts = sorted({d.id: d for d in drafts}.values(), key=lambda d: d.id or 0)
    paths: dict[int, list[str]] = {}
    for draft in drafts:
        assert draft.id is not None
        photos = await exporter.photos.get_photos(draft.photo_ids, user_id=user_id)
        paths[draft.id] = [photo.path for photo in photos]
    return _Content(exporter.data_dir, drafts, paths, now or datetime.now(UTC))


def _locate(content: _Content) -> dict[int, list[_PhotoFile]]:
    """Name each photo in the archive and find its file; a missing file has no source."""
    root = content.data_dir.resolve()
    located: dict[int, list[_PhotoFile]] = {}
    for draft_id, paths in content.photo_paths.items():
        files: list[_PhotoFile] = []
        for n, relative in enumerate(paths, start=1):
            source = (root / relative).resolve()
            # A path from the database must not pull any other file into the archive.
            found = source.is_relative_to(root) and source.is_file()
            if not found:
                log.warning("export: photo %s of draft %s is missing", relative, draft_id)
            files.append(_PhotoFile(f"photos/{draft_id}/{n}.jpg", source if found else None))
        located[draft_id] = files
    return located


def _zip_bytes(content: _Content) -> bytes:
    with tempfile.TemporaryFile(prefix="export-") as fh:
        _write_zip(fh, content)
        fh.seek(0)
        return fh.read()


def _zip_file(content: _Content, target: Path) -> ExportSummary:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with partial.open("wb") as fh:
        located = _write_zip(fh, content)
    partial.replace(target)
    files = [f for fs in located.values() for f in fs]
    return ExportSummary(
        drafts=len(content.drafts),
        photos=sum(f.source is not None for f in files),
        missing_photos=sum(f.source is None for f in files),
        size_bytes=target.stat().st_size,
    )


def _write_zip(fh: IO[bytes], content: _Content) -> dict[int, list[_PhotoFile]]:
    """Write the archive: the two draft files first, then each draft's photos, cover first."""
    located = _locate(content)
    now = content.now.astimezone(UTC) if content.now.tzinfo else content.now
    stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_entry("drafts.json", stamp), _drafts_json(content, located))
        zf.writestr(_entry("drafts.csv", stamp), _drafts_csv(content.drafts, content.style))
        for files in located.values():
            for photo in files:
                if photo.source is None:
                    continue
                # JPEGs do not compress: store them and spare the CPU.
                info = _entry(photo.arcname, stamp, zipfile.ZIP_STORED)
                with photo.source.open("rb") as src, zf.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
    return located


def _entry(
    name: str,
    stamp: tuple[int, int, int, int, int, int],
    compression: int = zipfile.ZIP_DEFLATED,
) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _drafts_json(content: _Content, located: dict[int, list[_PhotoFile]]) -> str:
    rows: list[dict[str, Any]] = []
    for draft in content.drafts:
        assert draft.id is not None
        category = get_category(draft.category)
        files = located.get(draft.id, [])
        rows.append(
            {
                **draft.model_dump(mode="json"),
                "category_path_fr": category.path_fr if category else None,
                "category_path_en": category.path_en if category else None,
                "photo_files": [p.arcname for p in files if p.source is not None],
                "missing_photo_files": [p.arcname for p in files if p.source is None],
            }
        )
    document = {
        "format": EXPORT_FORMAT,
        "exported_at": content.now.isoformat(),
        "drafts": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _drafts_csv(drafts: list[Draft], style: CsvStyle = CsvStyle()) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator="\r\n")
    writer.writerow([style.header(column) for column in CSV_COLUMNS])
    for draft in drafts:
        row: list[object] = [draft.id, style.word("status", draft.status.value)]
        for name in EXPORTED_FIELDS:
            row.extend(_csv_values(draft, name, style))
        publication = draft.publication
        row.extend(
            [
                style.word("ready", "yes" if draft.publish_ready else "no"),
                ", ".join(style.word("missing", key) for key in draft.missing),
                (publication.url or "") if publication else "",
                draft.created_at.isoformat() if draft.created_at else "",
            ]
        )
        writer.writerow(row)
    # The BOM makes spreadsheet programs read the accents as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def _csv_values(draft: Draft, name: str, style: CsvStyle) -> list[object]:
    """Return a field's CSV cells: a price gives three, a list is joined, text is quoted."""
    value = getattr(draft, name)
    kind = BY_NAME[name].kind
    if kind == "price":
        if value is None:
            return ["", "", ""]
        return [style.number(value.target), style.number(value.min), style.number(value.max)]
    if name == "category":
        category = get_category(draft.category)
        return [_cell(category.label("fr") if category else draft.category)]
    if kind == "condition":
        return [style.word("condition", value.value) if value else ""]
    if kind == "list":
        return [_cell({"hashtags": " ", "defects": "; "}.get(name, ", ").join(value))]
    return [_cell(value or "")]


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
