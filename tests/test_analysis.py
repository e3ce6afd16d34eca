"""The vision model port against a loopback fake of OpenAI, through the real openai client."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from collections.abc import AsyncIterator, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openai import AsyncOpenAI
from PIL import Image

from core.analysis import (
    AnalysisBadAnswer,
    AnalysisUnavailable,
    DraftOut,
    EditOut,
    GroupingContinuedOut,
    GroupingOut,
    VisionAnalyser,
    VisionImage,
    apply_edit,
    image_tokens,
    strict_schema,
    to_listing,
)
from core.drafts.models import Listing
from core.models import Condition, Price, Usage
from tests.fakes.openai import (
    Delay,
    FakeOpenAIServer,
    Raw,
    ReceivedRequest,
    Status,
    run_in_thread,
)

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"
REPO = Path(__file__).resolve().parents[1]


# ---- fixtures and helpers ------------------------------------------------------------------


class RecordedSleeps(list[float]):
    """The backoff delays the analyser asked for, slept for real (tests use tiny ones)."""

    async def __call__(self, delay: float) -> None:
        self.append(delay)
        await asyncio.sleep(delay)


@pytest.fixture
async def server() -> AsyncIterator[FakeOpenAIServer]:
    async with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
async def client(server: FakeOpenAIServer) -> AsyncIterator[AsyncOpenAI]:
    openai = AsyncOpenAI(api_key="test-key", base_url=server.base_url, max_retries=0, timeout=5)
    yield openai
    await openai.close()


@pytest.fixture
def sleeps() -> RecordedSleeps:
    return RecordedSleeps()


@pytest.fixture
def analyser(client: AsyncOpenAI, sleeps: RecordedSleeps) -> VisionAnalyser:
    return VisionAnalyser(client, "gpt-4o", base_delay=0.01, max_delay=0.2, sleep=sleeps)


@cache
def _jpeg(width: int, height: int, shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (shade, 90, 255 - shade)).save(out, "JPEG", quality=80)
    return out.getvalue()


def photo(
    index: int, album: str | None = None, size: tuple[int, int] = (1024, 768)
) -> VisionImage:
    """Return a vision-sized test photo at batch position `index`."""
    width, height = size
    return VisionImage(index, _jpeg(width, height, (index * 37) % 256), width, height, album)


def clothes(category: str) -> list[Path]:
    """Return the real test photos of one garment category, from the shared manifest."""
    with (TESTDATA / "MANIFEST.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == "clothes"]
    return [TESTDATA / r["file"] for r in rows if r["category"] == category]


def real_photo(index: int, path: Path) -> VisionImage:
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
    return VisionImage(index, data, width, height)


def batch_usage(requests: list[ReceivedRequest]) -> Usage:
    """Return the usage the fake reported over all the answers it gave."""
    total = Usage()
    for request in requests:
        if request.usage is not None:
            total += Usage(
                prompt_tokens=request.usage["prompt_tokens"],
                completion_tokens=request.usage["completion_tokens"],
            )
    return total


def a_draft(**changes: Any) -> dict[str, Any]:
    """Return a valid draft answer, with some fields changed."""
    draft: dict[str, Any] = {
        "title": "Robe Zara fleurie taille M",
        "description": ["Robe Zara.", "Imprimé fleuri.", "Taille M.", "Viscose.", "Bon état."],
        "hashtags": ["#robe", "#zara", "#fleurs"],
        "brand": "Zara",
        "category": "women_dresses",
        "size_on_label": "M",
        "size": "M",
        "condition": "good",
        "colours": ["bleu", "blanc"],
        "material": "viscose",
        "defects": [],
        "measurements": None,
        "price_min": 10,
        "price_target": 14,
        "price_max": 18,
        "confidence": 0.9,
    }
    return {**draft, **changes}


def listing_with(**changes: Any) -> Listing:
    base = Listing(
        title="Robe Zara fleurie taille M",
        description="Robe Zara.\nImprimé fleuri.\nTaille M.\nViscose.\nBon état.",
        hashtags=["#robe", "#zara", "#fleurs"],
        brand="Zara",
        category="women_dresses",
        size="M",
        condition=Condition.GOOD,
        colours=["bleu"],
        price=Price(min=10, target=14, max=18),
    )
    return base.model_copy(update=changes)


# ---- grouping ------------------------------------------------------------------------------


async def test_seller_sends_two_albums_and_gets_two_items(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    images = [photo(0, "111"), photo(1, "111"), photo(2, "111"), photo(3, "222"), photo(4, "222")]

    groups, usage = await analyser.group(images)

    assert [g.indices for g in groups] == [[0, 1, 2], [3, 4]]
    (request,) = server.requests
    assert request.schema_name == "grouping"
    assert request.json_schema["strict"] is True
    assert [i.detail for i in request.images] == ["low"] * 5
    assert "photo 1 (album A)" in request.user_texts
    assert "photo 4 (album B)" in request.user_texts
    assert usage == batch_usage(server.requests)
    assert usage.prompt_tokens > 0


async def test_label_photo_goes_with_its_garment_and_is_never_the_cover(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script({"groups": [{"photo_indices": [3, 1, 2], "label_photo_indices": [1]}]})

    groups, _ = await analyser.group([photo(10), photo(11), photo(12)])

    assert [(g.indices, g.label_indices) for g in groups] == [([11, 10, 12], [10])]
    assert groups[0].cover == 11


async def test_sixty_photos_are_grouped_in_three_calls_and_items_span_chunks(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    images = [photo(i, ["a1", "a2", "a3"][i // 20], size=(96, 72)) for i in range(60)]
    server.latency = 0.2  # long enough for calls asked together to overlap

    groups, usage = await analyser.group(images)

    assert [g.indices for g in groups] == [
        list(range(0, 20)),
        list(range(20, 40)),
        list(range(40, 60)),
    ]
    # Asked at once: each later chunk carries the previous chunk's last photo as a reference.
    requests = sorted(server.requests, key=lambda r: (len(r.images) != 25, -len(r.images)))
    first, second, third = requests
    assert [first.schema_name, second.schema_name, third.schema_name] == [
        "grouping",
        "grouping_continued",
        "grouping_continued",
    ]
    assert [len(r.images) for r in requests] == [25, 26, 11]
    assert second.user_texts[1] == "reference: the last earlier photo (album A)"
    assert third.user_texts[1] == "reference: the last earlier photo (album A)"
    assert usage == batch_usage(server.requests)
    assert server.most_at_once == 3  # one grouping latency, not three


async def test_chunk_that_starts_a_new_item_is_not_merged(
    client: AsyncOpenAI, server: FakeOpenAIServer
) -> None:
    # One chunk at a time: the scripted answers go to the chunks in order.
    analyser = VisionAnalyser(client, "gpt-4o", batch_size=3, grouping_parallel=1)
    server.script(
        {"groups": [{"photo_indices": [1, 2, 3], "label_photo_indices": [3]}]},
        {
            "first_group_continues_previous": False,
            "groups": [{"photo_indices": [1, 2], "label_photo_indices": []}],
        },
    )

    groups, _ = await analyser.group([photo(i) for i in range(5)])

    assert [(g.indices, g.label_indices) for g in groups] == [([0, 1, 2], [2]), ([3, 4], [])]


async def test_invalid_grouping_is_asked_again_once(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script(
        {"groups": [{"photo_indices": [1, 2], "label_photo_indices": []}]},  # photo 3 left out
        {
            "groups": [
                {"photo_indices": [1], "label_photo_indices": []},
                {"photo_indices": [2, 3], "label_photo_indices": [3]},
            ]
        },
    )

    groups, usage = await analyser.group([photo(0), photo(1), photo(2)])

    assert [(g.indices, g.label_indices) for g in groups] == [([0], []), ([1, 2], [2])]
    assert len(server.requests) == 2
    assert usage == batch_usage(server.requests)


async def test_grouping_wrong_twice_falls_back_to_one_item_per_album(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script(
        {"groups": [{"photo_indices": [1, 2, 2, 3, 4, 5], "label_photo_indices": []}]},
        {"groups": [{"photo_indices": [1, 2, 3, 4, 9], "label_photo_indices": []}]},
    )
    images = [photo(0, "x"), photo(1), photo(2, "y"), photo(3, "x"), photo(4)]

    groups, usage = await analyser.group(images)

    assert [g.indices for g in groups] == [[0, 3], [1, 4], [2]]
    assert len(server.requests) == 2
    assert usage == batch_usage(server.requests)


async def test_grouping_that_is_not_json_also_falls_back_to_albums(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script(Raw("I think these are two items."), Raw('{"groups": '))

    groups, _ = await analyser.group([photo(0, "x"), photo(1, "y"), photo(2, "y")])

    assert [g.indices for g in groups] == [[0], [1, 2]]


async def test_single_photo_is_one_item_without_a_call(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    groups, usage = await analyser.group([photo(7, "album")])

    assert [(g.indices, g.label_indices) for g in groups] == [([7], [])]
    assert usage == Usage()
    assert server.requests == []


# ---- drafting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "hint", "title", "colour"),
    [
        ("fr", "Zara taille M", "T-shirt Zara taille M", "bleu"),
        ("en", "Zara dress size M", "Dress Zara size M", "blue"),
        ("de", "Zara Kleid Größe 38", "Kleid Zara Größe 38", "blau"),
    ],
)
async def test_draft_is_written_in_the_seller_language_with_a_strict_schema(
    analyser: VisionAnalyser,
    server: FakeOpenAIServer,
    language: str,
    hint: str,
    title: str,
    colour: str,
) -> None:
    out, usage = await analyser.draft([photo(0), photo(1), photo(2)], language=language, hint=hint)
    listing, to_confirm = to_listing(out)

    assert listing.title == title
    assert listing.brand == "Zara"
    assert listing.colours == [colour]
    assert len(listing.description.splitlines()) >= 5
    assert to_confirm == []
    (request,) = server.requests
    assert request.response_format["type"] == "json_schema"
    assert request.json_schema == {
        "name": "draft",
        "strict": True,
        "schema": strict_schema(DraftOut),
    }
    assert request.body["model"] == "gpt-4o"
    assert {"fr": "French", "en": "English", "de": "German"}[language] in request.system_text
    assert "women_dresses: " in request.system_text  # the category list is in the prompt
    assert usage == batch_usage(server.requests)


async def test_draft_of_real_photos_sends_them_unchanged(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    images = [real_photo(i, path) for i, path in enumerate(clothes("dress"))]

    out, _ = await analyser.draft(images, language="fr", hint="robe")

    assert out.category == "women_dresses"
    (request,) = server.requests
    assert [(i.width, i.height, i.size_bytes) for i in request.images] == [
        (image.width, image.height, len(image.jpeg)) for image in images
    ]


async def test_unreadable_size_and_unclear_condition_are_left_to_confirm(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.set_default_draft(size=None, size_on_label=None, condition=None)

    out, _ = await analyser.draft([photo(0)], language="fr")
    listing, to_confirm = to_listing(out)

    assert listing.size == ""
    assert listing.condition is None
    assert to_confirm == ["size", "condition"]


async def test_label_photos_go_in_high_detail_and_the_rest_low(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    images = [photo(i, size=(768, 1024)) for i in range(10, 15)]

    await analyser.draft(images, language="fr", label_indices={13})
    await analyser.draft(images, language="fr")

    with_label, without_label = server.requests
    assert [i.detail for i in with_label.images] == ["low", "low", "low", "high", "low"]
    assert "photo 4 (label close-up)" in with_label.user_texts
    # Without a known label, the cover is the one photo worth the pixels.
    assert [i.detail for i in without_label.images] == ["high", "low", "low", "low", "low"]
    assert {(i.width, i.height) for i in with_label.images} == {(768, 1024)}


async def test_typical_item_costs_under_1000_image_tokens_per_photo(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script({"groups": [{"photo_indices": [1, 2, 3, 4, 5], "label_photo_indices": [5]}]})
    images = [photo(i, "album", size=(1024, 768)) for i in range(5)]

    (item,), _ = await analyser.group(images)
    await analyser.draft(
        [images[i] for i in item.indices], language="fr", label_indices=item.label_indices
    )

    spent = sum(image.tokens for request in server.requests for image in request.images)
    assert spent == 5 * 85 + 4 * 85 + image_tokens(1024, 768, "high")  # 1530 tokens
    assert spent / len(images) <= 1000


async def test_drafts_of_several_items_can_run_at_once(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.latency = 0.05
    hints = ["Zara taille S", "Mango taille M", "Nike taille L", "Uniqlo taille XL"]

    results = await asyncio.gather(
        *(analyser.draft([photo(i)], language="fr", hint=h) for i, h in enumerate(hints))
    )

    assert [(out.brand, out.size) for out, _ in results] == [
        ("Zara", "S"),
        ("Mango", "M"),
        ("Nike", "L"),
        ("Uniqlo", "XL"),
    ]


# ---- retries and failures ------------------------------------------------------------------


async def test_rate_limit_is_retried_after_the_time_the_server_asks(
    analyser: VisionAnalyser, server: FakeOpenAIServer, sleeps: RecordedSleeps
) -> None:
    server.script(Status(429, retry_after=0.05), Status(429, retry_after_ms=30))

    out, usage = await analyser.draft([photo(0)], language="fr", hint="Zara taille M")

    assert out.brand == "Zara"
    assert sleeps == [0.05, 0.03]
    assert [r.status for r in server.requests] == [429, 429, 200]
    assert usage == batch_usage(server.requests)


async def test_long_retry_after_is_capped(
    analyser: VisionAnalyser, server: FakeOpenAIServer, sleeps: RecordedSleeps
) -> None:
    server.script(Status(429, retry_after=600))

    await analyser.draft([photo(0)], language="fr")

    assert sleeps == [0.2]


async def test_server_errors_until_give_up_make_the_ai_unavailable(
    analyser: VisionAnalyser, server: FakeOpenAIServer, sleeps: RecordedSleeps
) -> None:
    server.script(*[Status(500)] * 4)

    with pytest.raises(AnalysisUnavailable) as failure:
        await analyser.draft([photo(0)], language="fr")

    assert failure.value.reason == "ai_unavailable"
    assert [r.status for r in server.requests] == [500, 500, 500, 500]
    # Exponential backoff with equal jitter: each wait in [ceiling/2, ceiling].
    ceilings = [0.01, 0.02, 0.04]
    assert len(sleeps) == 3
    assert all(c / 2 <= s <= c for s, c in zip(sleeps, ceilings, strict=True))


async def test_rate_limited_until_give_up_says_so(
    client: AsyncOpenAI, server: FakeOpenAIServer
) -> None:
    analyser = VisionAnalyser(client, "gpt-4o", max_attempts=2, base_delay=0.01)
    server.script(Status(429), Status(429))

    with pytest.raises(AnalysisUnavailable) as failure:
        await analyser.group([photo(0), photo(1)])

    assert failure.value.reason == "ai_rate_limited"
    assert len(server.requests) == 2


async def test_exhausted_quota_and_bad_requests_are_not_retried(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script(Status(429, code="insufficient_quota"), Status(400))

    with pytest.raises(AnalysisUnavailable) as quota:
        await analyser.draft([photo(0)], language="fr")
    with pytest.raises(AnalysisUnavailable) as bad_request:
        await analyser.draft([photo(0)], language="fr")

    assert quota.value.reason == "ai_unavailable"
    assert "quota" in quota.value.detail
    assert "HTTP 400" in bad_request.value.detail
    assert len(server.requests) == 2


async def test_slow_answer_times_out_and_is_retried(server: FakeOpenAIServer) -> None:
    async with AsyncOpenAI(
        api_key="test-key", base_url=server.base_url, max_retries=0, timeout=0.3
    ) as client:
        analyser = VisionAnalyser(client, "gpt-4o", base_delay=0.01)
        server.script(Delay(10))

        out, _ = await analyser.draft([photo(0)], language="en", hint="Nike size L")

    assert (out.brand, out.size) == ("Nike", "L")
    assert len(server.requests) == 2
    assert server.requests[0].status is None  # the slow one never answered


async def test_malformed_answer_is_asked_again_once_then_rejected(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script(Raw("not json"), Raw('{"title": "no other field"}'))

    with pytest.raises(AnalysisBadAnswer) as failure:
        await analyser.draft([photo(0)], language="fr")

    assert len(server.requests) == 2
    # Tokens spent on the rejected answers are still accounted for.
    assert failure.value.usage == batch_usage(server.requests)
    assert failure.value.usage.completion_tokens > 0


async def test_one_malformed_answer_then_a_good_one_counts_both_in_usage(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script(Raw("not json"), a_draft())

    out, usage = await analyser.draft([photo(0)], language="fr")

    assert out.title == "Robe Zara fleurie taille M"
    assert [r.status for r in server.requests] == [200, 200]
    assert usage == batch_usage(server.requests)


async def test_category_outside_the_list_is_a_bad_answer(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script(a_draft(category="women_ballgowns"), a_draft(category=""))

    with pytest.raises(AnalysisBadAnswer):
        await analyser.draft([photo(0)], language="fr")

    assert len(server.requests) == 2


async def test_failure_after_a_rejected_answer_keeps_its_usage(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    server.script(Raw("oops"), *[Status(503)] * 4)

    with pytest.raises(AnalysisUnavailable) as failure:
        await analyser.draft([photo(0)], language="fr")

    assert failure.value.usage == batch_usage(server.requests)
    assert failure.value.usage.prompt_tokens > 0


# ---- correcting and editing ----------------------------------------------------------------


async def test_rejected_listing_is_corrected_without_photos(
    analyser: VisionAnalyser, server: FakeOpenAIServer
) -> None:
    long_title = "Magnifique robe Zara fleurie taille M 🌸 parfaite pour l'été, à saisir vite"
    listing = listing_with(title=long_title, description="Robe Zara.\nTaille M.")

    out, usage = await analyser.correct(
        listing, ["title_too_long", "description_too_short"], language="fr"
    )
    corrected, to_confirm = to_listing(out)

    assert len(corrected.title) <= 70
    assert "🌸" not in corrected.title
    assert len(corrected.description.splitlines()) >= 5
    assert (corrected.brand, corrected.size, corrected.condition) == ("Zara", "M", Condition.GOOD)
    assert to_confirm == []
    (request,) = server.requests
    assert request.images == []
    assert request.schema_name == "correction"
    assert "title_too_long" in request.user_texts[0]
    assert usage == batch_usage(server.requests)


@pytest.mark.parametrize(
    ("language", "instruction", "summary"),
    [("fr", "prix 25", "Annonce modifiée"), ("en", "price 25", "Listing changed")],
)
async def test_seller_edit_changes_only_what_was_asked(
    analyser: VisionAnalyser,
    server: FakeOpenAIServer,
    language: str,
    instruction: str,
    summary: str,
) -> None:
    listing = listing_with()

    edit, usage = await analyser.edit(listing, instruction, language=language)
    edited = apply_edit(listing, edit)

    assert edited.price is not None
    assert edited.price.target == 25
    assert edited.price.min <= 25 <= edited.price.max
    assert edited.model_dump(exclude={"price"}) == listing.model_dump(exclude={"price"})
    assert edit.summary.startswith(summary)
    (request,) = server.requests
    assert request.images == []
    assert request.json_schema["schema"] == strict_schema(EditOut)
    assert usage == batch_usage(server.requests)


def test_edit_adds_and_removes_defects_and_moves_the_price_range() -> None:
    listing = listing_with(defects=["petite tache", "bouton manquant"])
    edit = EditOut(
        add_defects=["trou à la manche"],
        remove_defects=["Bouton manquant"],
        price_target=30,
        summary="Défaut ajouté.",
    )

    edited = apply_edit(listing, edit)

    assert edited.defects == ["petite tache", "trou à la manche"]
    assert edited.price == Price(min=10, target=30, max=30)


# ---- schemas and costs ---------------------------------------------------------------------

_REJECTED_KEYWORDS = {"default", "format", "minimum", "maximum", "minItems", "maxItems", "title"}


def _walk_schema(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_schema(item)
    elif isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key == "properties":
                for sub in value.values():
                    yield from _walk_schema(sub)
            else:
                yield from _walk_schema(value)


@pytest.mark.parametrize("model", [GroupingOut, GroupingContinuedOut, DraftOut, EditOut])
def test_schemas_sent_are_strict_mode_compatible(model: type[Any]) -> None:
    schema = strict_schema(model)

    nodes = list(_walk_schema(schema))
    objects = [n for n in nodes if n.get("type") == "object"]
    assert objects
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    for node in nodes:
        assert not _REJECTED_KEYWORDS & node.keys()
        assert "$ref" not in node and "$defs" not in node


def test_nullable_fields_stay_nullable_in_the_strict_schema() -> None:
    properties = strict_schema(DraftOut)["properties"]

    assert {"type": "null"} in properties["size"]["anyOf"]
    assert {"type": "null"} in properties["condition"]["anyOf"]
    assert "women_dresses" in properties["category"]["enum"]
    assert "title" in properties  # a property called "title" is not a keyword to strip


@pytest.mark.parametrize(
    ("width", "height", "detail", "tokens"),
    [
        (1024, 1024, "high", 765),  # OpenAI's worked example
        (2048, 4096, "high", 1105),  # OpenAI's worked example
        (4096, 8192, "low", 85),  # OpenAI's worked example
        (512, 512, "high", 255),  # small images are not scaled up
        (1024, 768, "high", 765),
        (768, 1024, "high", 765),
    ],
)
def test_image_tokens_follow_openai_published_formula(
    width: int, height: int, detail: Any, tokens: int
) -> None:
    assert image_tokens(width, height, detail) == tokens


# ---- the fake's default answers ------------------------------------------------------------


async def _default_answer_to(client: AsyncOpenAI, name: str, schema: dict[str, Any]) -> Any:
    completion = await client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "photo 1 (sent alone)"}],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": name, "strict": True, "schema": schema},
        },
    )
    return json.loads(completion.choices[0].message.content or "")


async def test_fake_default_answers_follow_the_schema_the_request_carries(
    client: AsyncOpenAI,
) -> None:
    draft = strict_schema(DraftOut)
    del draft["properties"]["measurements"]
    draft["properties"] |= {
        "pattern": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "season": {"type": "string", "enum": ["summer", "winter"]},
        "pockets": {"type": "integer"},
        "lined": {"type": "boolean"},
        "labels": {"type": "array", "items": {"type": "string"}},
        "fit": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "stretch": {"type": "number"}},
        },
    }
    edit = strict_schema(EditOut)
    edit["properties"]["pattern"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}

    drafted = await _default_answer_to(client, "draft", draft)
    corrected = await _default_answer_to(client, "correction", draft)
    edited = await _default_answer_to(client, "edit", edit)

    new_fields = {
        "pattern": None,
        "season": "summer",
        "pockets": 0,
        "lined": False,
        "labels": [],
        "fit": {"name": "", "stretch": 0},
    }
    for answer in (drafted, corrected):
        assert list(answer) == list(draft["properties"])  # the schema's fields, in its order
        assert {k: answer[k] for k in new_fields} == new_fields
    assert (drafted["category"], drafted["condition"]) == ("women_tshirts", "very_good")
    assert corrected["confidence"] == 0.7
    assert list(edited) == list(edit["properties"])
    assert (edited["pattern"], edited["price_target"], edited["add_defects"]) == (None, None, [])


# ---- the fake in other places --------------------------------------------------------------


async def test_fake_runs_in_a_background_thread() -> None:
    handle = run_in_thread()
    try:
        async with AsyncOpenAI(
            api_key="test-key", base_url=handle.base_url, max_retries=0, timeout=5
        ) as client:
            analyser = VisionAnalyser(client, "gpt-4o")
            groups, _ = await analyser.group([photo(0, "a"), photo(1, "b")])
    finally:
        handle.stop()

    assert [g.indices for g in groups] == [[0], [1]]
    assert len(handle.server.requests) == 1


async def test_fake_runs_as_a_separate_process() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.openai",
        "--port",
        "0",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        base_url = (await process.stdout.readline()).decode().strip()
        async with AsyncOpenAI(
            api_key="test-key", base_url=base_url, max_retries=0, timeout=5
        ) as client:
            out, _ = await VisionAnalyser(client, "gpt-4o").draft(
                [photo(0)], language="de", hint="Adidas Größe M"
            )
    finally:
        process.terminate()
        await process.wait()

    assert base_url.startswith("http://127.0.0.1:")
    assert (out.brand, out.size) == ("Adidas", "M")
