"""A success measure computed from records and events (never typed in), as `/measures` shows it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    name: str
    numerator: int
    denominator: int
    explanation: str
    higher_is_better: bool = True
    # A measure that is not a share (a median, say) gives its own figure.
    figure: str | None = None

    @property
    def share(self) -> float | None:
        return None if not self.denominator else self.numerator / self.denominator

    @property
    def percent(self) -> str:
        if self.figure is not None:
            return self.figure
        return "—" if self.share is None else f"{self.share:.0%}"
