"""Changes to a partnership's funding: members' contributions per year (money and staff hours,
into the pooled budget or for the coordinators), the pooled budget per category, and spending."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.errors import InvalidInput
from oneplan.core.layers import service
from oneplan.core.text import clean_text
from oneplan.partnership import rules
from oneplan.partnership.models import BudgetLine, Category, Contribution, Purpose, Spending

MAX_AMOUNT = Decimal("9999999999.99")


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    this = timezone.localdate().year
    if not this - 10 <= year <= this + 5:
        raise InvalidInput(_("Choose a year from %(low)d to %(high)d.") % {"low": this - 10, "high": this + 5},
                           field="year")
    return year


def _amount(value, field: str, *, positive: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Give an amount in euros, like 1250.50."), field=field) from None
    if amount < 0 or amount > MAX_AMOUNT or (positive and amount == 0):
        raise InvalidInput(_("Give an amount in euros above zero.") if positive
                           else _("Give an amount in euros, zero or more."), field=field)
    return amount


@service
def contribution_save(*, actor: Professional, member_id, year, purpose: str, money, staff_hours,
                      note: str = "") -> Contribution:
    """A member's contribution for a year and purpose (recorded again: replaced). Its
    representatives or the partnership's managers."""
    member = rules.get_member(actor, member_id, "partnership.contribution.save")
    rules.require_representative(actor, member, "partnership.contribution.save", or_manager=True)
    if purpose not in Purpose.values:
        raise InvalidInput(_("Choose what the contribution is for."), field="purpose")
    try:
        hours = int(staff_hours or 0)
    except (TypeError, ValueError):
        hours = -1
    if not 0 <= hours <= 1_000_000:
        raise InvalidInput(_("Give the staff hours as a whole number, zero or more."), field="staff_hours")
    amount = _amount(money or 0, "money")
    if not amount and not hours:
        raise InvalidInput(_("Give money, staff hours or both."), field="money")
    item, _created = Contribution.objects.update_or_create(
        member=member, year=_year(year), purpose=purpose,
        defaults={"partnership_id": member.partnership_id, "money": amount, "staff_hours": hours,
                  "note": clean_text(note, "note", _("Note"), limit=300, required=False),
                  "recorded_by": actor, "recorded_at": timezone.now()})
    record(actor, "partnership.contribution.save", item,
           reason=f"{member.organisation.name} {item.year} {purpose}: {amount} euros, {hours} hours")
    return item


@service
def budget_line_save(*, actor: Professional, partnership_id, year, category: str, amount) -> BudgetLine:
    """The pooled budget planned for a category in a year (set again: replaced)."""
    item = rules.get_visible(actor, partnership_id, "partnership.budget.save")
    rules.require_manage(actor, item, "partnership.budget.save")
    if category not in Category.values:
        raise InvalidInput(_("Choose a category from the list."), field="category")
    line, _created = BudgetLine.objects.update_or_create(
        partnership=item, year=_year(year), category=category, defaults={"amount": _amount(amount, "amount")})
    record(actor, "partnership.budget.save", line, reason=f"{item.name} {line.year} {category}: {line.amount}")
    return line


@service
def spending_record(*, actor: Professional, partnership_id, category: str, amount, spent_on: dt.date,
                    description: str) -> Spending:
    item = rules.get_visible(actor, partnership_id, "partnership.spending.record")
    rules.require_manage(actor, item, "partnership.spending.record")
    if category not in Category.values:
        raise InvalidInput(_("Choose a category from the list."), field="category")
    if spent_on is None or spent_on > timezone.localdate():
        raise InvalidInput(_("Give the date it was spent, today or earlier."), field="spent_on")
    _year(spent_on.year)
    spending = Spending.objects.create(
        partnership=item, category=category, amount=_amount(amount, "amount", positive=True), spent_on=spent_on,
        description=clean_text(description, "description", _("What for"), limit=300), recorded_by=actor)
    record(actor, "partnership.spending.record", spending,
           reason=f"{item.name} {category}: {spending.amount} on {spent_on}")
    return spending
