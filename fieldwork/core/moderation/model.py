"""The frozen values moderation hands out: the draw, the sample, rounds, disagreements,
settlements and the agreement figures. Built by the modules of this package from the
store's rows; nothing here reads or writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The kinds of case in the moderation sample.
DRAWN, ADDED, CALIBRATION = "drawn", "added", "calibration"
KIND_LABELS = {DRAWN: "Drawn", ADDED: "Added by hand", CALIBRATION: "Calibration"}
# A round's status.
DRAFT, COMPLETE = "draft", "complete"
# Who may assess a case a second time, and who takes part in a calibration exercise.
SECOND_ASSESSOR_ROLES = ("lead", "inspector")
ASSESSING_ROLES = ("lead", "inspector", "local_assessor")
# The first assessment of a case is done once its status is one of these.
FIRST_DONE = ("complete", "reviewed")


@dataclass(frozen=True)
class Draw:
    """A seeded draw: the rule, its seed, the cases it drew from and those it drew."""

    id: str
    seed: int
    share: int
    minimum: int
    rule: str
    frame: tuple[str, ...]  # "case_id/assessor_id/organisation", sorted
    drawn: tuple[str, ...]  # case ids, sorted


@dataclass(frozen=True)
class SampleCase:
    """A case in the moderation sample, as recorded."""

    case_id: str
    kind: str  # DRAWN | ADDED | CALIBRATION
    draw_id: str | None
    second_assessor: str | None
    reason: str | None


@dataclass(frozen=True)
class RoundAnswer:
    question_id: str
    value: Any
    comment: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Rating:
    """One assessor's judgement of one item of a case, with what they wrote beside it."""

    assessor: str
    value: Any
    comment: str | None


@dataclass(frozen=True)
class Settlement:
    value: Any
    reason: str


@dataclass(frozen=True)
class Disagreement:
    """An item (prompt or key-question judgement) the two rounds of a case differ on."""

    case_id: str
    case_ref: str
    question_id: str
    text: str
    kind: str  # "prompt" | "judgement"
    first: Rating
    second: Rating
    settled: Settlement | None

    @property
    def open(self) -> bool:
        return self.settled is None


@dataclass(frozen=True)
class Progress:
    """Where a sample case stands: the rounds expected, those complete, disagreements."""

    case_id: str
    case_ref: str
    organisation: str | None
    kind: str
    first_assessor: str | None
    first_done: bool
    expected: tuple[str, ...]  # assessors of the blind rounds
    complete: tuple[str, ...]  # of those, who has completed
    started: tuple[str, ...]  # of those, who has answered anything
    disagreements: int
    open: int
    reason: str | None = None

    @property
    def state(self) -> str:
        """One phrase for a list."""
        if not self.expected:
            return "No one to assess it"
        if self.kind == CALIBRATION:
            if len(self.complete) < len(self.expected):
                return f"{len(self.complete)} of {len(self.expected)} assessed"
            return "Assessed by everyone"
        if len(self.complete) < len(self.expected):
            return (
                "Second assessment in progress" if self.started else "Waiting for second assessment"
            )
        if not self.first_done:
            return "Waiting for the first assessment"
        if self.open:
            return f"{self.open} disagreement{'s' if self.open != 1 else ''} to settle"
        return "Settled" if self.disagreements else "Agreed"


@dataclass(frozen=True)
class Figure:
    """One agreement statistic set over n units."""

    n: int
    percent: float | None
    kappa: float | None
    ac1: float | None


@dataclass(frozen=True)
class FigureRow:
    """Agreement on one key question (or 'all' key questions) within one scope."""

    question_id: str  # a key question's id, or "all"
    label: str
    judgement: Figure  # on sufficient yes / no, where both found it applied
    applicability: Figure  # on whether it applied at all (N/A)
    band: str | None  # Landis & Koch on the judgement's kappa


@dataclass(frozen=True)
class Scope:
    """The figures of the team, or of one pair of assessors."""

    name: str
    assessors: tuple[str, ...]
    cases: int
    rows: tuple[FigureRow, ...]

    def row(self, question_id: str) -> FigureRow:
        for r in self.rows:
            if r.question_id == question_id:
                return r
        raise KeyError(question_id)


@dataclass(frozen=True)
class Spread:
    """How the team judged one key question of one calibration case."""

    case_id: str
    case_ref: str
    question_id: str
    counts: tuple[tuple[str, int], ...]  # (judgement, how many), yes / no / na

    @property
    def unanimous(self) -> bool:
        return sum(1 for _, n in self.counts if n) <= 1


@dataclass(frozen=True)
class Calibration:
    cases: tuple[Progress, ...]
    spread: tuple[Spread, ...]
    raters: int  # assessors who judged every calibration case
    units: int  # case x key question units with two judgements or more
    assessed_by_everyone: int  # calibration cases every expected assessor has judged
    fleiss: float | None  # over the units of those cases (None without one)
    alpha: float | None  # Krippendorff's alpha, nominal, all units, whoever judged them


@dataclass(frozen=True)
class Agreement:
    team: Scope
    pairs: tuple[Scope, ...]
    reading: tuple[str, ...]
