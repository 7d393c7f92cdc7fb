"""Self-evaluation results per aspect and per stakeholder group, with their spread, compared with
the previous round. Disagreement is the signal: a wide spread is flagged, not averaged away.

A respondent's score on an aspect is the mean of their answers to its questions ("don't know"
left out). Per aspect and group: how many scored it, the mean, the standard deviation and the
lowest and highest respondent score. Nothing is shown for fewer than MIN_RESPONDENTS respondents:
not the round, not a group, not an aspect."""
import statistics
from dataclasses import dataclass, field

from oneplan.partnership.models import MIN_RESPONDENTS, Group, Round

# A standard deviation this large (on the 1-5 scale), or stakeholder groups' means this far apart,
# means the partners see it differently.
DISAGREEMENT_SD = 1.0


@dataclass
class Cell:
    n: int
    mean: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None
    change: float | None = None  # against the previous round's mean, when both are shown

    @property
    def shown(self) -> bool:
        return self.n >= MIN_RESPONDENTS

    @property
    def disagreement(self) -> bool:
        return self.shown and self.sd is not None and self.sd >= DISAGREEMENT_SD

    @property
    def change_abs(self) -> float | None:
        return abs(self.change) if self.change is not None else None

    # Whole positions on a 0-100 line for the spread drawing (1 at 0, 5 at 100): integers, so no
    # language's decimal comma ever reaches an SVG attribute.
    @staticmethod
    def at(value: float | None) -> int:
        return round((value - 1) * 25) if value is not None else 0

    @property
    def low_at(self) -> int:
        return self.at(self.low)

    @property
    def high_at(self) -> int:
        return self.at(self.high)

    @property
    def mean_at(self) -> int:
        return self.at(self.mean)


@dataclass
class Row:
    key: str
    name: str
    overall: Cell
    groups: dict[str, Cell]
    questions: list[tuple[str, Cell]] = field(default_factory=list)

    @property
    def group_gap(self) -> float | None:
        """How far apart the stakeholder groups' means are (the groups that are shown)."""
        means = [c.mean for c in self.groups.values() if c.shown]
        return round(max(means) - min(means), 2) if len(means) >= 2 else None

    @property
    def groups_differ(self) -> bool:
        return self.group_gap is not None and self.group_gap >= DISAGREEMENT_SD


@dataclass
class Results:
    round: Round
    respondents: int
    invited: int
    groups: list[tuple[str, str, int]]  # (group, label, respondents) for the groups that answered
    rows: list[Row]
    previous: Round | None = None

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_RESPONDENTS

    @property
    def min_respondents(self) -> int:
        return MIN_RESPONDENTS

    @property
    def shown_groups(self) -> list[tuple[str, str, int]]:
        return [g for g in self.groups if g[2] >= MIN_RESPONDENTS]

    @property
    def hidden_groups(self) -> list[tuple[str, str, int]]:
        return [g for g in self.groups if g[2] < MIN_RESPONDENTS]

    @property
    def disagreements(self) -> list[Row]:
        return [r for r in self.rows if r.overall.disagreement or r.groups_differ
                or any(c.disagreement for c in r.groups.values())]


def _cell(scores: list[float]) -> Cell:
    cell = Cell(n=len(scores))
    if not cell.shown:
        return cell
    cell.mean = round(statistics.fmean(scores), 2)
    cell.sd = round(statistics.stdev(scores), 2)
    cell.low, cell.high = round(min(scores), 2), round(max(scores), 2)
    return cell


def _aspect_scores(answers: dict, keys: list[str]) -> float | None:
    values = [answers.get(k) for k in keys if answers.get(k) is not None]
    return statistics.fmean(values) if values else None


def _collect(item: Round) -> tuple[list[tuple[str, dict]], list[dict]]:
    responses = list(item.responses.values_list("group", "answers"))
    return responses, item.questionnaire.aspects


def compute(item: Round, *, previous: "Results | None" = None) -> Results:
    responses, aspects = _collect(item)
    by_group: dict[str, int] = {}
    for group, _answers in responses:
        by_group[group] = by_group.get(group, 0) + 1
    groups = [(g, str(label), by_group[g]) for g, label in Group.choices if g in by_group]
    rows = []
    for aspect in aspects:
        keys = [q["key"] for q in aspect["questions"]]
        scored = [(g, _aspect_scores(a, keys)) for g, a in responses]
        scored = [(g, s) for g, s in scored if s is not None]
        overall = _cell([s for _g, s in scored]) if len(responses) >= MIN_RESPONDENTS else Cell(len(scored))
        cells = {g: _cell([s for gg, s in scored if gg == g]) if by_group[g] >= MIN_RESPONDENTS
                 else Cell(0) for g, _label, _n in groups}
        questions = [(q["text"], _cell([a[q["key"]] for _g, a in responses if a.get(q["key"]) is not None])
                      if len(responses) >= MIN_RESPONDENTS else Cell(0)) for q in aspect["questions"]]
        rows.append(Row(aspect["key"], aspect["name"], overall, cells, questions))
    result = Results(round=item, respondents=len(responses), invited=item.invitations.count(), groups=groups,
                     rows=rows, previous=previous.round if previous else None)
    if previous is not None:
        _compare(result, previous)
    return result


def _compare(result: Results, previous: Results) -> None:
    before = {r.key: r for r in previous.rows}
    for row in result.rows:
        old = before.get(row.key)
        if old is None:
            continue
        pairs = [(row.overall, old.overall)] + [(c, old.groups[g]) for g, c in row.groups.items() if g in old.groups]
        for now, then in pairs:
            if now.shown and then.shown:
                now.change = round(now.mean - then.mean, 2)


def for_round(item: Round) -> Results:
    """The round's results against the round before it (the latest earlier round of the partnership)."""
    earlier = Round.objects.filter(partnership_id=item.partnership_id, number__lt=item.number) \
        .select_related("questionnaire").order_by("-number").first()
    return compute(item, previous=compute(earlier) if earlier else None)
