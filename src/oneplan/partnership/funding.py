"""A partnership's funding for one year: what each member puts in (money and staff hours, into the
pooled budget or for the coordinators), the pooled budget per category against its spending."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from oneplan.partnership.models import (
    BudgetLine,
    Category,
    Contribution,
    Partnership,
    Purpose,
    Spending,
)

ZERO = Decimal("0.00")


@dataclass
class MemberFunding:
    name: str
    member_id: int
    pooled_money: Decimal = ZERO
    pooled_hours: int = 0
    coordination_money: Decimal = ZERO
    coordination_hours: int = 0

    @property
    def money(self) -> Decimal:
        return self.pooled_money + self.coordination_money

    @property
    def hours(self) -> int:
        return self.pooled_hours + self.coordination_hours


@dataclass
class Line:
    category: str
    label: str
    planned: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent

    @property
    def over(self) -> bool:
        return self.spent > self.planned

    @property
    def share_spent(self) -> int | None:
        return round(100 * self.spent / self.planned) if self.planned else None


@dataclass
class Summary:
    year: int
    members: list[MemberFunding]
    lines: list[Line]
    years: list[int] = field(default_factory=list)
    spending: list[Spending] = field(default_factory=list)

    @property
    def pooled(self) -> Decimal:
        """Money members put into the pooled budget."""
        return sum((m.pooled_money for m in self.members), ZERO)

    @property
    def hours(self) -> int:
        return sum(m.hours for m in self.members)

    @property
    def money(self) -> Decimal:
        return sum((m.money for m in self.members), ZERO)

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), ZERO)

    @property
    def remaining(self) -> Decimal:
        """Planned and not spent yet, over all categories."""
        return self.planned - self.spent

    @property
    def balance(self) -> Decimal:
        """What is left in the pooled budget."""
        return self.pooled - self.spent

    @property
    def unplanned(self) -> Decimal:
        """Pooled money not planned for any category (negative: more planned than there is)."""
        return self.pooled - self.planned

    @property
    def coordinator_payers(self) -> list[MemberFunding]:
        return [m for m in self.members if m.coordination_money or m.coordination_hours]

    @property
    def is_empty(self) -> bool:
        return not self.members and not any(line.planned or line.spent for line in self.lines)


def years(partnership: Partnership) -> list[int]:
    found = set(Contribution.objects.filter(partnership=partnership).values_list("year", flat=True))
    found |= set(BudgetLine.objects.filter(partnership=partnership).values_list("year", flat=True))
    found |= set(Spending.objects.filter(partnership=partnership).annotate(y=ExtractYear("spent_on"))
                 .values_list("y", flat=True))
    return sorted(found)


def summary(partnership: Partnership, year: int) -> Summary:
    """A fixed number of queries, whatever the number of members and spendings."""
    members: dict[int, MemberFunding] = {}
    for item in Contribution.objects.filter(partnership=partnership, year=year) \
            .select_related("member__organisation").order_by("member__organisation__name"):
        row = members.setdefault(item.member_id, MemberFunding(item.member.organisation.name, item.member_id))
        if item.purpose == Purpose.POOLED:
            row.pooled_money += item.money
            row.pooled_hours += item.staff_hours
        else:
            row.coordination_money += item.money
            row.coordination_hours += item.staff_hours
    lines = {key: Line(key, str(label)) for key, label in Category.choices}
    for key, amount in BudgetLine.objects.filter(partnership=partnership, year=year) \
            .values_list("category", "amount"):
        lines[key].planned = amount
    for key, amount in Spending.objects.filter(partnership=partnership, spent_on__year=year) \
            .values("category").annotate(total=Sum("amount")).values_list("category", "total"):
        lines[key].spent = amount or ZERO
    return Summary(year=year, members=list(members.values()),
                   lines=[line for line in lines.values() if line.planned or line.spent],
                   years=years(partnership),
                   spending=list(Spending.objects.filter(partnership=partnership, spent_on__year=year)
                                 .order_by("-spent_on", "-id")))
