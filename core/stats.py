"""A seller's activity over a period: photos analysed, drafts, publishing, tokens and cost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.analysis.tokens import estimate_cost_usd
from core.drafts.repository import DraftRepository
from core.intake.repository import BatchRepository
from core.publishing.attempts import AttemptRepository
from core.publishing.views import PublishStats, stats_from


@dataclass(frozen=True)
class Activity:
    photos_analysed: int
    drafts: int
    ready: int
    failed_analyses: int
    publishing: PublishStats
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float

    @property
    def ready_share(self) -> float:
        return self.ready / self.drafts if self.drafts else 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class StatsService:
    """Sum up what a seller did since a time."""

    def __init__(
        self,
        batches: BatchRepository,
        drafts: DraftRepository,
        attempts: AttemptRepository,
        *,
        vision_model: str,
    ) -> None:
        self.batches = batches
        self.drafts = drafts
        self.attempts = attempts
        self.vision_model = vision_model

    async def since(self, user_id: int, moment: datetime) -> Activity:
        drafts = await self.drafts.activity(user_id, moment)
        prompt, completion = drafts["prompt_tokens"], drafts["completion_tokens"]
        return Activity(
            photos_analysed=await self.batches.photos_analysed(user_id, moment),
            drafts=drafts["drafts"],
            ready=drafts["ready"],
            failed_analyses=drafts["failed"],
            publishing=stats_from(await self.attempts.outcomes(user_id, moment)),
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=estimate_cost_usd(self.vision_model, prompt, completion),
        )
