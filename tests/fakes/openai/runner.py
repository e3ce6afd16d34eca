"""Running the fake outside the test's event loop: in a background thread, or as a process."""

from __future__ import annotations

import argparse
import asyncio
import signal
import threading

from tests.fakes.openai.server import FakeOpenAIServer


class ThreadedServer:
    """A fake server running in its own thread and event loop."""

    def __init__(
        self, server: FakeOpenAIServer, loop: asyncio.AbstractEventLoop, thread: threading.Thread
    ) -> None:
        self.server = server
        self._loop = loop
        self._thread = thread

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def stop(self) -> None:
        """Stop the server, its loop and its thread."""
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)


def run_in_thread(*, latency: float = 0.0, port: int = 0) -> ThreadedServer:
    """Start a fake server in a background thread; return once it accepts connections."""
    server = FakeOpenAIServer(latency=latency, port=port)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.start())
        except BaseException as exc:  # handed to the starting thread
            failure.append(exc)
            started.set()
            loop.close()
            return
        started.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="fake-openai", daemon=True)
    thread.start()
    started.wait(timeout=10)
    if failure:
        raise failure[0]
    if not started.is_set():
        raise RuntimeError("the fake OpenAI server did not start within 10 s")
    return ThreadedServer(server, loop, thread)


async def _serve(port: int, latency: float) -> None:
    server = FakeOpenAIServer(latency=latency, port=port)
    await server.start()
    print(server.base_url, flush=True)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, done.set)
    await done.wait()
    await server.stop()


def main(argv: list[str] | None = None) -> None:
    """Run the fake server until SIGINT or SIGTERM, printing its base URL first."""
    parser = argparse.ArgumentParser(description="Fake OpenAI Chat Completions server.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.port, args.latency))
