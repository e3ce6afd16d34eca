"""A local replica of Vinted's upload page and internal API: see tests.fakes.vinted.server.

Run it as a process with `python -m tests.fakes.vinted --port N`.
"""

from tests.fakes.vinted.records import (
    CreatedItem,
    RecordedRequest,
    SavedDraft,
    Submission,
    UploadedPhoto,
)
from tests.fakes.vinted.server import FakeVinted, run_in_thread
from tests.fakes.vinted.session import browser_cookies
from tests.fakes.vinted.switches import VARIANTS, Switches
from tests.fakes.vinted.threaded import ThreadedFakeVinted

__all__ = [
    "VARIANTS",
    "CreatedItem",
    "FakeVinted",
    "RecordedRequest",
    "SavedDraft",
    "Submission",
    "Switches",
    "ThreadedFakeVinted",
    "UploadedPhoto",
    "browser_cookies",
    "run_in_thread",
]
