"""Command line for the core: `python -m core analyze PHOTO...` prints the drafts as JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from core import logs
from core.config import ConfigError, load_settings
from core.db import Database
from core.images import ImageRejected
from core.intake.service import BatchTooLarge, DuplicatePhoto
from core.models import GroupingMode, Progress
from core.purge import Purge
from core.services import build_services

CLI_USER_ID = 0  # drafts made from the command line belong to this pseudo-user
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".hif"}


def _expand(paths: list[str]) -> list[Path]:
    """Return the files named, with each folder replaced by its photos in name order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES))
        else:
            files.append(path)
    return files


async def analyze(args: argparse.Namespace) -> int:
    """Analyse photos through the same service as the bot and print the drafts."""
    settings = load_settings(**({"data_dir": args.data_dir} if args.data_dir else {}))
    language = args.language or settings.listing_language
    services = await build_services(settings)
    try:
        intake, drafting = services.intake, services.drafting
        batch = await intake.start_batch(
            CLI_USER_ID, mode=GroupingMode(args.mode), hint=args.hint, language=language
        )
        assert batch.id is not None
        rejected: list[dict[str, str]] = []
        for path in _expand(args.photos):
            try:
                data = path.read_bytes()
                await intake.add_photo(batch, data, path.name, album_key=str(path.parent))
            except OSError as exc:
                rejected.append({"file": str(path), "reason": f"unreadable: {exc.strerror}"})
            except ImageRejected as exc:
                rejected.append({"file": str(path), "reason": exc.reason})
            except DuplicatePhoto:
                rejected.append({"file": str(path), "reason": "duplicate"})
            except BatchTooLarge:
                rejected.append({"file": str(path), "reason": "batch_full"})
        await intake.close_batch(batch.id)

        async def show(p: Progress) -> None:
            print(
                f"photos {p.photos_processed}/{p.photos_total}, items {p.items_found}, "
                f"drafts {p.drafts_written}",
                file=sys.stderr,
            )

        drafts = await drafting.analyse_batch(batch.id, progress=None if args.quiet else show)
        out = {
            "batch_id": batch.id,
            "drafts": [d.model_dump(mode="json") for d in drafts],
            "rejected": rejected,
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0 if drafts else 1
    finally:
        await services.close()


async def purge(args: argparse.Namespace) -> int:
    """Remove old unapproved drafts with their photos, and old logs."""
    settings = load_settings(**({"data_dir": args.data_dir} if args.data_dir else {}))
    db = await Database.open(settings.db_path)
    try:
        result = await Purge(db, settings.data_dir).run(datetime.now(UTC))
        print(result.model_dump_json())
    finally:
        await db.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    parser.add_argument("--data-dir", help="overrides DATA_DIR")
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="analyse photos (files or folders) into drafts")
    a.add_argument("photos", nargs="+", help="photo files or folders of photos")
    a.add_argument("--hint", help='what you know, e.g. "Zara, taille M, porté 2 fois"')
    a.add_argument(
        "--mode",
        choices=[m.value for m in GroupingMode],
        default=GroupingMode.AUTO.value,
        help="auto: the model groups photos into items; album: one item per folder; one: "
        "all photos are one item",
    )
    a.add_argument("--language", choices=["fr", "en", "de"], help="overrides LISTING_LANGUAGE")
    a.add_argument("--quiet", action="store_true", help="no progress on stderr")
    sub.add_parser("purge", help="remove drafts never approved after 30 days, logs after 90")
    args = parser.parse_args(argv)
    logs.setup("WARNING")
    try:
        runner = analyze if args.command == "analyze" else purge
        return asyncio.run(runner(args))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
