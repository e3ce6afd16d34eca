"""Benchmark the publisher on the local Vinted replica: seconds per listing, browser memory.

Memory is the Chromium processes started under this process (Playwright's driver excluded),
sampled from /proc every 50 ms: RSS counts shared pages once per process, PSS shares them out.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.config import Settings
from core.models import Condition
from core.vinted.publisher import ListingToPublish, VintedPublisher
from tests.fakes.vinted import SITES, FakeVinted

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"
PHOTOS = [
    TESTDATA / "clothes" / "01033304-f9a4-48c4-af65-677512880fae.jpg",
    TESTDATA / "clothes" / "361cbb64-95f4-4be3-a01c-3aba98fa509f.jpg",
    TESTDATA / "clothes" / "0028956e-9962-46f0-ad45-2c42f8a59d94.jpg",
]
RUNS = 10
CONCURRENT_SELLERS = 3
# A typical description: a few sentences and the hashtags (about 250 characters).
DESCRIPTION = (
    "Jean Levi's 501 taille haute, coupe droite, porté quelques fois et en très bon état. "
    "Aucun trou ni tache, la couleur bleu délavé est intacte. Longueur 102 cm, tour de "
    "taille 72 cm.\n\n#levis #501 #jeanvintage #jeanfemme #denim"
)


WOMEN_JEANS = ["Femmes", "Vêtements", "Jeans"]


def _listing(number: int) -> ListingToPublish:
    nodes = [SITES["fr"].catalog.by_path(WOMEN_JEANS[:n]) for n in range(1, len(WOMEN_JEANS) + 1)]
    return ListingToPublish(
        title=f"Jean Levi's 501 taille haute n°{number}",
        description=DESCRIPTION,
        price=24.5,
        category_ids=[node.id for node in nodes if node is not None],
        category_titles=WOMEN_JEANS,
        brand="Levi's",
        size="M",
        condition=Condition.VERY_GOOD,
        colours=["bleu"],
        material="coton",
        photos=PHOTOS,
        package_size=2,
    )


def _cookies(jar: dict[str, str]) -> list[dict[str, Any]]:
    return [{"name": k, "value": v, "domain": "127.0.0.1", "path": "/"} for k, v in jar.items()]


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                # The command may hold spaces: the parent id follows the closing parenthesis.
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    return children


def _chromium_memory_mb() -> tuple[float, float, int]:
    """Return (RSS, PSS, process count) summed over the Chromium processes under us."""
    children = _children()
    stack, rss, pss, count = list(children.get(os.getpid(), [])), 0, 0, 0
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/comm") as comm:
                if "chrom" not in comm.read():
                    continue
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            count += 1
        except OSError:
            continue
    return rss / 1024, pss / 1024, count


@contextmanager
def _peak_memory() -> Iterator[dict[str, float]]:
    """Sample Chromium's memory in a thread while the block runs; keep the peaks."""
    peak = {"rss": 0.0, "pss": 0.0, "processes": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while True:
            rss, pss, count = _chromium_memory_mb()
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            peak["processes"] = max(peak["processes"], count)
            if stop.wait(0.05):
                return

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


async def _timed_runs(
    publisher: VintedPublisher, vinted: FakeVinted, jar: dict[str, str], first: int
) -> tuple[list[float], list[float]]:
    """Return each run's seconds and, of them, the seconds spent typing."""
    seconds, typing = [], []
    cookies = _cookies(jar)
    for number in range(first, first + RUNS):
        start = time.perf_counter()
        result = await publisher.publish(cookies, _listing(number))
        seconds.append(time.perf_counter() - start)
        typing.append(result.typing_seconds)
        if not result.outcome.success:
            raise RuntimeError(f"publish {number} failed: {result.outcome.describe()}")
        cookies = result.cookies
    return seconds, typing


async def _bench() -> None:
    executable = Settings(_env_file=None).chromium_executable()  # type: ignore[call-arg]
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as shots:
        async with FakeVinted() as vinted:
            jar = vinted.add_account(user_id=1, login="bench")
            for label, typing in (
                ("typing like a person (30-90 ms a key)", (30, 90)),
                ("typing without pauses", (0, 0)),
            ):
                publisher = VintedPublisher(
                    vinted.base_url,
                    executable_path=executable,
                    screenshots_dir=Path(shots),
                    slow_typing_ms=typing,
                )
                async with publisher:
                    idle_rss, idle_pss, processes = _chromium_memory_mb()
                    with _peak_memory() as peak:
                        seconds, typing = await _timed_runs(
                            publisher, vinted, jar, first=len(vinted.items) + 1
                        )
                median = statistics.median(seconds)
                typed = statistics.median(typing)
                print(
                    f"  {label}: median {median:.1f} s per publish "
                    f"(min {min(seconds):.1f}, max {max(seconds):.1f}, {RUNS} runs): "
                    f"{typed:.1f} s typing ({typed / median:.0%}), "
                    f"{median - typed:.1f} s waiting for the page"
                )
            print(
                f"  browser idle: {idle_rss:.0f} MB RSS / {idle_pss:.0f} MB PSS "
                f"in {processes} processes"
            )
            print(
                f"  one seller publishing: peak {peak['rss']:.0f} MB RSS / {peak['pss']:.0f} MB "
                f"PSS ({peak['pss'] - idle_pss:.0f} MB PSS over idle)"
            )

            sellers = [
                _cookies(vinted.add_account(user_id=100 + n, login=f"bench{n}"))
                for n in range(CONCURRENT_SELLERS)
            ]
            async with VintedPublisher(
                vinted.base_url,
                executable_path=executable,
                screenshots_dir=Path(shots),
                slow_typing_ms=(0, 0),
            ) as publisher:
                idle_rss, idle_pss, _ = _chromium_memory_mb()
                with _peak_memory() as peak:
                    results = await asyncio.gather(
                        *(
                            publisher.publish(cookies, _listing(1000 + n))
                            for n, cookies in enumerate(sellers)
                        )
                    )
            assert all(r.outcome.success for r in results), [r.outcome for r in results]
            per_seller = (peak["pss"] - idle_pss) / CONCURRENT_SELLERS
            print(
                f"  {CONCURRENT_SELLERS} sellers at once: peak {peak['rss']:.0f} MB RSS / "
                f"{peak['pss']:.0f} MB PSS in up to {peak['processes']:.0f} processes, "
                f"{per_seller:.0f} MB PSS per seller over idle"
            )


def main() -> None:
    """Print the median seconds per publish on the replica and Chromium's memory per seller."""
    print(f"Publisher benchmark on the local Vinted replica ({os.cpu_count()} CPUs)")
    asyncio.run(_bench())


if __name__ == "__main__":
    main()
