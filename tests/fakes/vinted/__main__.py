"""A local replica of Vinted's upload page and the internal API it calls, for publisher tests."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from tests.fakes.vinted.server import FakeVinted
from tests.fakes.vinted.switches import VARIANTS


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeVinted(variant=args.variant, port=args.port)
    url = await fake.start()
    cookies = fake.add_account(user_id=args.user_id, login=args.login)
    print(url, flush=True)
    print("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main() -> None:
    """Serve the replica until interrupted: `python -m tests.fakes.vinted --port N`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), default=[])
    parser.add_argument("--user-id", type=int, default=42)
    parser.add_argument("--login", default="seller42")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
