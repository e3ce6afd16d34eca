"""A local replica of Vinted's upload page and internal API: see tests.fakes.vinted.server.

Run it as a process with `python -m tests.fakes.vinted --port N [--variant site_de]`.
What tests read: vinted.items / drafts / live_items (each a Submission: title, price,
catalog_id and catalog_path, brand_id, size_id, condition_id, color_ids, material_ids,
package_size_id, photos, is_draft), and the active site's data: catalog_tree(), leaf_id(path),
catalog_id(path), catalog_path(id), brand_id(name), color_id(name), size_id(path, label).
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
from tests.fakes.vinted.sites import SITES, Site
from tests.fakes.vinted.switches import VARIANTS, Switches
from tests.fakes.vinted.threaded import ThreadedFakeVinted

__all__ = [
    "SITES",
    "VARIANTS",
    "CreatedItem",
    "FakeVinted",
    "RecordedRequest",
    "SavedDraft",
    "Site",
    "Submission",
    "Switches",
    "ThreadedFakeVinted",
    "UploadedPhoto",
    "browser_cookies",
    "run_in_thread",
]
