"""Benchmark the cost of analysis: image tokens sent per photo for typical items.

The real analysis code (grouping, then one draft call per item) runs against the fake OpenAI
server, which records every image it receives with its pixel size and detail level; tokens
follow OpenAI's published image formula (core.analysis.tokens.image_tokens).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from openai import AsyncOpenAI

from core.analysis import VisionAnalyser, VisionImage, image_tokens
from core.analysis.tokens import estimate_cost_usd
from core.images import process_image
from tests.fakes.openai import FakeOpenAIServer

TESTDATA = Path(__file__).resolve().parents[1].parent / "shared" / "testdata"
PHOTOS = [TESTDATA / "heic" / "IMG_2927.HEIC", TESTDATA / "heic" / "arrow.heic"] + sorted(
    (TESTDATA / "clothes").glob("*.jpg")
)


async def _measure(item_sizes: list[int], with_label: bool) -> tuple[float, float, int]:
    """Run one batch of items; return (image tokens/photo, USD/photo incl. text, photos)."""
    async with FakeOpenAIServer() as server:
        client = AsyncOpenAI(api_key="bench", base_url=server.base_url, max_retries=0)
        analyser = VisionAnalyser(client, "gpt-4o")
        images: list[VisionImage] = []
        for item, size in enumerate(item_sizes):
            for _ in range(size):
                path = PHOTOS[(len(images)) % len(PHOTOS)]
                out = process_image(path.read_bytes(), path.name)
                images.append(
                    VisionImage(
                        len(images),
                        out.vision_jpeg,
                        out.vision_width,
                        out.vision_height,
                        album_key=f"album{item}",
                    )
                )
        groups, _ = await analyser.group(images)
        for group in groups:
            members = [images[i] for i in group.indices]
            # A label close-up in some items: the analyser sends those in high detail.
            labels = group.indices[-1:] if with_label else []
            await analyser.draft(members, language="fr", label_indices=labels)
        tokens = sum(img.tokens for r in server.requests for img in r.images)
        usage_in = sum(r.usage["prompt_tokens"] for r in server.requests if r.usage)
        usage_out = sum(r.usage["completion_tokens"] for r in server.requests if r.usage)
        await client.close()
    n = len(images)
    return tokens / n, estimate_cost_usd("gpt-4o", usage_in, usage_out) / n, n


def main() -> None:
    print("== analysis cost (gpt-4o image formula; low detail = 85 tokens, high = 85 + 170/tile)")
    print(
        f"   one 1024x768 photo: low {image_tokens(1024, 768, 'low')}, "
        f"high {image_tokens(1024, 768, 'high')} tokens"
    )
    for label, sizes, with_label in [
        ("6 items of 4-6 photos, a label photo in every item", [4, 5, 6, 4, 5, 6], True),
        ("6 items of 4-6 photos, no label photo found", [4, 5, 6, 4, 5, 6], False),
        ("a single photo", [1], False),
    ]:
        per_photo, usd, n = asyncio.run(_measure(sizes, with_label))
        print(
            f"   {label}: {per_photo:.0f} image tokens/photo over {n} photos; "
            f"about ${usd:.4f}/photo with the text prompts (fake usage counts)"
        )


if __name__ == "__main__":
    main()
