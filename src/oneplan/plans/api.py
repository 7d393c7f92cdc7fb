"""API endpoints for a family's plan: the agreed version in force, its goals and actions, the next
review, and earlier agreed versions. Reads only; the same access rules as the plan page."""
import datetime as dt
from typing import Annotated

from ninja import Field, Path, Router, Schema

from oneplan.core.api import ProblemOut, openapi, path_id
from oneplan.plans import selectors

router = Router(tags=["plans"])

ERRORS = {400: ProblemOut, 401: ProblemOut, 404: ProblemOut}
FamilyId = path_id("The family's id.")
VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1,
                                    description="The agreed version's number (1 is the first).")]


class PersonRef(Schema):
    id: int
    given_name: str
    family_name: str


class LevelOut(Schema):
    level: int = Field(..., description="-2 (much less than expected) to +2 (much more).")
    text: str


class GoalOut(Schema):
    key: str = Field(..., description="The same goal keeps its key across versions.")
    domain: str
    family_words: str = Field(..., description="The goal in the family's own words.")
    priority: int
    person_ids: list[int]
    levels: list[LevelOut]
    target_date: dt.date | None
    status: str

    @staticmethod
    def resolve_key(obj) -> str:
        return str(obj.key)

    @staticmethod
    def resolve_person_ids(obj) -> list[int]:
        return sorted(p.pk for p in obj.persons.all())

    @staticmethod
    def resolve_levels(obj) -> list[dict]:
        return [{"level": level, "text": text} for level, text in obj.levels()]


class PlanVersionOut(Schema):
    number: int | None = Field(..., description="Given when agreed; null for the draft.")
    status: str = Field(..., description="agreed or draft")
    lock_version: int
    vision: str = Field(..., description="What the family wants to be different.")
    agreed_on: dt.date | None
    agreed_how: str
    agreed_by: list[PersonRef]
    goals: list[GoalOut]

    @staticmethod
    def resolve_agreed_by(obj) -> list:
        return list(obj.agreed_by.all())


class VersionRef(Schema):
    number: int
    agreed_on: dt.date | None


class ActionOut(Schema):
    id: int
    goal_key: str | None
    what: str
    owner: str = Field(..., description="Who does it: a professional, someone of the network, or a "
                                        "household member.")
    due_on: dt.date | None
    status: str
    overdue: bool

    @staticmethod
    def resolve_goal_key(obj) -> str | None:
        return str(obj.goal_key) if obj.goal_key else None

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner_name

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue


class PlanOut(Schema):
    family_id: int
    current: PlanVersionOut | None = Field(..., description="The agreed version in force.")
    draft: PlanVersionOut | None = Field(..., description="The next version being prepared.")
    versions: list[VersionRef] = Field(..., description="Every agreed version, newest first.")
    actions: list[ActionOut] = Field(..., description="Open and done actions (not cancelled).")
    next_review_on: dt.date | None
    review_overdue: bool


GOAL_EXAMPLE = {
    "key": "6f1c2a4e-8d0b-4c3a-9e57-2b1f0d9a7c11", "domain": "finances_debts",
    "family_words": "We know what we owe and pay it off every month.", "priority": 1,
    "person_ids": [1], "levels": [{"level": lv, "text": t} for lv, t in (
        (-2, "Debts grow"), (-1, "Debts stay"), (0, "A repayment plan runs"),
        (1, "Half paid off"), (2, "Debt-free"))],
    "target_date": "2026-12-31", "status": "active",
}
VERSION_EXAMPLE = {
    "number": 2, "status": "agreed", "lock_version": 3,
    "vision": "Rest at home and no more letters from bailiffs.", "agreed_on": "2026-06-01",
    "agreed_how": "meeting", "agreed_by": [{"id": 1, "given_name": "Ayşe", "family_name": "Jansen"}],
    "goals": [GOAL_EXAMPLE],
}


@router.get("/families/{family_id}/plan", response={200: PlanOut, **ERRORS},
            summary="A family's plan",
            openapi_extra=openapi(response={
                "family_id": 1, "current": VERSION_EXAMPLE, "draft": None,
                "versions": [{"number": 2, "agreed_on": "2026-06-01"},
                             {"number": 1, "agreed_on": "2026-03-02"}],
                "actions": [{"id": 7, "goal_key": GOAL_EXAMPLE["key"], "what": "Call the debt counsellor",
                             "owner": "Anna de Vries", "due_on": "2026-06-20", "status": "open",
                             "overdue": False}],
                "next_review_on": "2026-09-01", "review_overdue": False}))
def family_plan(request, family_id: FamilyId):
    """The agreed version in force with its goals, the draft being prepared, the actions and the
    next review. A family without a plan yet answers with nulls and empty lists."""
    page = selectors.plan_page(actor=request.auth, family_id=family_id)
    plan = page.plan
    return {
        "family_id": page.family.pk, "current": page.agreed, "draft": page.draft,
        "versions": page.versions, "actions": page.actions,
        "next_review_on": plan.next_review_on if plan else None, "review_overdue": page.overdue,
    }


@router.get("/families/{family_id}/plan/versions/{number}",
            response={200: PlanVersionOut, **ERRORS}, summary="An agreed plan version",
            openapi_extra=openapi(response=VERSION_EXAMPLE))
def family_plan_version(request, family_id: FamilyId, number: VersionNumber):
    """An agreed version as it was agreed (agreed versions never change)."""
    _, version, _, _ = selectors.version_detail(actor=request.auth, family_id=family_id, number=number)
    return version
