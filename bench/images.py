"""Benchmark the photo pipeline: time per photo and peak memory for a batch of 500 photos."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.images import DECODE_CONCURRENCY, ImageLimits, process_image, process_image_async

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"
HEIC_12MP = [TESTDATA / "heic" / "arrow.heic", TESTDATA / "heic" / "IMG_2927.HEIC"]
CLOTHES = sorted((TESTDATA / "clothes").glob("*.jpg"))
PHONE_JPEG_NAME = "phone_12mp.jpg"
BATCH_SIZE = 500


def _median_ms(data: bytes, name: str, runs: int) -> float:
    """Return the median wall time of process_image on one photo, in milliseconds."""
    process_image(data, name)  # warm-up: codec tables, lazy registration
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        process_image(data, name)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _make_phone_jpeg() -> bytes:
    """Return a 12 MP JPEG like an Android phone sends, made from a real iPhone photo."""
    limits = ImageLimits(vinted_long_side=4032, vinted_quality=92)
    return process_image(HEIC_12MP[1].read_bytes(), HEIC_12MP[1].name, limits).vinted_jpeg


def _rss_mb() -> float:
    """Return the current resident set size in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    """Return this process's RSS high-water mark in MB."""
    # Not ru_maxrss: Linux carries it over fork and exec, so the child would report the
    # parent's peak. VmHWM belongs to this process's own memory map.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _batch_plan(phone_jpeg: Path) -> list[Path]:
    """Return 500 photos: a quarter 12 MP HEIC, an eighth 12 MP JPEG, the rest small JPEGs."""
    plan = []
    for i in range(BATCH_SIZE):
        if i % 4 == 0:
            plan.append(HEIC_12MP[(i // 4) % 2])
        elif i % 8 == 2:
            plan.append(phone_jpeg)
        else:
            plan.append(CLOTHES[i % len(CLOTHES)])
    return plan


async def _run_batch(plan: list[Path], out_dir: Path) -> list[tuple[int, float]]:
    """Process the whole plan at once, as the bot does, writing both JPEGs of each photo."""
    # Each distinct file is read once: the figure is the pipeline's memory, not 500 inputs.
    sources = {path: path.read_bytes() for path in set(plan)}
    samples: list[tuple[int, float]] = []
    done = 0

    async def one(index: int, path: Path) -> None:
        nonlocal done
        result = await process_image_async(sources[path], path.name)
        await asyncio.to_thread((out_dir / f"{index:04d}.jpg").write_bytes, result.vinted_jpeg)
        await asyncio.to_thread((out_dir / f"{index:04d}_v.jpg").write_bytes, result.vision_jpeg)
        done += 1
        if done % 100 == 0:
            samples.append((done, _rss_mb()))

    await asyncio.gather(*(one(i, p) for i, p in enumerate(plan)))
    return samples


def _batch_child(work_dir: Path) -> None:
    """Run the 500-photo batch in this fresh process and print its memory figures."""
    plan = _batch_plan(work_dir / PHONE_JPEG_NAME)
    out_dir = work_dir / "out"
    out_dir.mkdir()
    baseline_peak, baseline_rss = _peak_rss_mb(), _rss_mb()
    start = time.perf_counter()
    samples = asyncio.run(_run_batch(plan, out_dir))
    elapsed = time.perf_counter() - start
    peak = _peak_rss_mb()
    written = len(list(out_dir.iterdir()))
    heic = sum(p.suffix.lower() == ".heic" for p in plan)
    phone = sum(p.name == PHONE_JPEG_NAME for p in plan)
    print(
        f"  photos: {len(plan)} ({heic} HEIC 12 MP, {phone} JPEG 12 MP, "
        f"{len(plan) - heic - phone} small JPEG), {written} files written"
    )
    print(f"  wall time: {elapsed:.1f} s ({elapsed / len(plan) * 1000:.0f} ms per photo)")
    print(f"  RSS before the batch: {baseline_rss:.0f} MB (high-water {baseline_peak:.0f} MB)")
    print(f"  RSS high-water mark after: {peak:.0f} MB (growth {peak - baseline_peak:.0f} MB)")
    trail = ", ".join(f"{done}: {rss:.0f}" for done, rss in samples)
    print(f"  RSS (MB) after N photos done: {trail}")


def main() -> None:
    """Print the median time per photo and the peak memory of a 500-photo batch."""
    print(
        f"Image pipeline benchmark ({os.cpu_count()} CPUs, {DECODE_CONCURRENCY} decodes at once)"
    )
    print("Median time per photo, one at a time (target: HEIC 12 MP < 1500 ms, JPEG < 150 ms):")
    for path in HEIC_12MP:
        print(
            f"  HEIC 12 MP {path.name:<14} {_median_ms(path.read_bytes(), path.name, 5):7.0f} ms"
        )
    clothes_ms = [_median_ms(p.read_bytes(), p.name, 3) for p in CLOTHES]
    print(
        f"  JPEG clothes/*.jpg (400 px, {len(CLOTHES)} files): median "
        f"{statistics.median(clothes_ms):.1f} ms, slowest {max(clothes_ms):.1f} ms"
    )
    phone_jpeg = _make_phone_jpeg()
    print(
        f"  JPEG 12 MP (made from IMG_2927) {_median_ms(phone_jpeg, PHONE_JPEG_NAME, 5):5.0f} ms"
    )

    print(
        f"Batch of {BATCH_SIZE} photos via process_image_async, fresh process (target < 400 MB):"
    )
    sys.stdout.flush()
    with tempfile.TemporaryDirectory(prefix="bench-images-") as tmp:
        work_dir = Path(tmp)
        (work_dir / PHONE_JPEG_NAME).write_bytes(phone_jpeg)
        subprocess.run(
            [sys.executable, "-m", "bench.images", "--batch", str(work_dir)],
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--batch":
        _batch_child(Path(sys.argv[2]))
    else:
        main()
