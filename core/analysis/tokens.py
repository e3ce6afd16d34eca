"""What an image costs in input tokens on GPT-4o-class models."""

from __future__ import annotations

import math
from typing import Literal

Detail = Literal["low", "high"]

LOW_DETAIL_TOKENS = 85
TILE_TOKENS = 170
TILE_SIDE = 512


def image_tokens(width: int, height: int, detail: Detail) -> int:
    """Return the input tokens of one image, per OpenAI's published formula for GPT-4o.

    From the vision guide, "Calculating costs" (platform.openai.com/docs/guides/vision):
    `detail: low` costs a flat 85 tokens. `detail: high` images are first scaled to fit within a
    2048 x 2048 square, then scaled so the shortest side is 768 px, then cut into 512 px tiles;
    each tile costs 170 tokens and 85 are always added. Worked examples from the guide:
    1024 x 1024 -> 765 tokens, 2048 x 4096 -> 1105 tokens. Images are only ever scaled down,
    never up, so a small image costs fewer tiles. GPT-4.1-mini and later models count 32 px
    patches instead; this is the upper-bound formula the cost target is written against.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    if detail == "low":
        return LOW_DETAIL_TOKENS
    w, h = float(width), float(height)
    fit = min(1.0, 2048 / max(w, h))
    w, h = w * fit, h * fit
    shrink = min(1.0, 768 / min(w, h))
    w, h = w * shrink, h * shrink
    tiles = math.ceil(round(w, 6) / TILE_SIDE) * math.ceil(round(h, 6) / TILE_SIDE)
    return LOW_DETAIL_TOKENS + TILE_TOKENS * tiles


# USD per million tokens (input, output), from OpenAI's price list; unknown models use gpt-4o's.
PRICES_PER_MILLION = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
}


def estimate_cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> float:
    """Return an estimate of what these tokens cost on OpenAI, for the seller's statistics."""
    key = max((k for k in PRICES_PER_MILLION if model.startswith(k)), key=len, default="gpt-4o")
    price_in, price_out = PRICES_PER_MILLION[key]
    return (prompt_tokens * price_in + completion_tokens * price_out) / 1_000_000
