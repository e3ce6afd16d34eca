"""A loopback fake of OpenAI's Chat Completions endpoint, scriptable per test.

It answers `POST /v1/chat/completions` in the real response format. Each request takes the next
scripted reply (a JSON object to return as content, `Status`, `Delay`, `Raw`); with the script
empty it answers like a plausible model, deterministically, by the request's json_schema name.
Every request is recorded with its images' pixel size, byte size and detail level.

Run it in the test's event loop (`async with FakeOpenAIServer() as server`), in a background
thread (`run_in_thread()`), or as a process: `python -m tests.fakes.openai --port N`.

Where things are:
- server.py: the aiohttp server, the script queue, the completion body and its usage block;
- replies.py: what a test can script (Status, Delay, Raw) and OpenAI's error bodies;
- recording.py: what was received (ReceivedRequest, ReceivedImage);
- answers.py: which default answer a request gets; one module per schema: answer_grouping.py,
  answer_draft.py, answer_correction.py, answer_edit.py; language.py: their words;
- runner.py: the background thread and the command line (__main__.py).
"""

from tests.fakes.openai.recording import ReceivedImage, ReceivedRequest
from tests.fakes.openai.replies import Delay, Raw, Reply, Status
from tests.fakes.openai.runner import ThreadedServer, main, run_in_thread
from tests.fakes.openai.server import HOST, FakeOpenAIServer

__all__ = [
    "HOST",
    "Delay",
    "FakeOpenAIServer",
    "Raw",
    "ReceivedImage",
    "ReceivedRequest",
    "Reply",
    "Status",
    "ThreadedServer",
    "main",
    "run_in_thread",
]
