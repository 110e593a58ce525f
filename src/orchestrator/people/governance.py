"""The report's governance constraints, checked live against current appointments."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Appointment, Role, Sector

MAX_ADVISORS = 5
MIN_ADVISORS_FROM_OTHER_SECTORS = 4


@dataclass(frozen=True)
class Check:
    rule: str
    ok: bool
    detail: str


def checks(appointments: list[Appointment]) -> list[Check]:
    """Each constraint with whether it holds today and, when it does not, what is wrong.

    Each appointment must carry `published_declarations` (see `views.governance`).
    """
    board = [a for a in appointments if a.role == Role.BOARD_MEMBER]
    advisors = [a for a in appointments if a.role == Role.TECHNICAL_ADVISOR]
    advisor_chairs = [a for a in advisors if a.chair]
    board_chairs = [a for a in board if a.chair]
    other_sectors = [a for a in advisors if a.organisation.sector != Sector.ENERGY]
    # A declaration counts once it is in the register: triaged and published (drafts do not).
    undeclared = [a for a in appointments if not a.published_declarations]
    return [
        Check(
            "The Board has an odd number of members",
            len(board) % 2 == 1,
            f"The Board has {len(board)} member{'s' if len(board) != 1 else ''}.",
        ),
        Check(
            "The Board has one chair",
            len(board_chairs) == 1,
            f"{len(board_chairs)} Board member{'s are' if len(board_chairs) != 1 else ' is'} chair.",
        ),
        Check(
            f"There are at most {MAX_ADVISORS} Independent Technical Advisors",
            len(advisors) <= MAX_ADVISORS,
            f"There {'is' if len(advisors) == 1 else 'are'} {len(advisors)} advisor"
            f"{'' if len(advisors) == 1 else 's'}.",
        ),
        Check(
            "One Independent Technical Advisor is chair",
            len(advisor_chairs) == 1,
            f"{len(advisor_chairs)} advisor{'s are' if len(advisor_chairs) != 1 else ' is'} chair.",
        ),
        Check(
            f"At least {MIN_ADVISORS_FROM_OTHER_SECTORS} advisors come from sectors other than energy",
            len(other_sectors) >= MIN_ADVISORS_FROM_OTHER_SECTORS,
            f"{len(other_sectors)} of {len(advisors)} advisors come from other sectors.",
        ),
        Check(
            "Every appointment has a declaration in the register of interests",
            not undeclared,
            "Every appointment has a declaration."
            if not undeclared
            else "No declaration for: " + "; ".join(str(a) for a in undeclared) + ".",
        ),
    ]
