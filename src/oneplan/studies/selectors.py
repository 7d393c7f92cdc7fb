from oneplan.accounts.models import Professional, Role
from oneplan.core.errors import AccessDenied, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import selector
from oneplan.studies.models import Study


def _require(actor: Professional, action: str) -> None:
    if not (actor.has_role(Role.ANALYST) or actor.has_role(Role.PRIVACY_OFFICER)):
        raise refused(AccessDenied("Studies are for analysts and privacy officers."), actor=actor,
                      action=action, reason="role may not see studies")


@selector
def studies(*, actor: Professional) -> list[Study]:
    _require(actor, "study.list")
    qs = Study.objects.select_related("requested_by__user", "decided_by__user")
    if not actor.has_role(Role.PRIVACY_OFFICER):
        qs = qs.filter(requested_by=actor)
    return list(qs)


@selector
def study(*, actor: Professional, study_id) -> Study:
    _require(actor, "study.read")
    found = Study.objects.select_related("requested_by__user", "decided_by__user").filter(
        pk=study_id).first() if valid_id(study_id) else None
    if found is None or not (actor.has_role(Role.PRIVACY_OFFICER) or found.requested_by_id == actor.pk):
        raise NotFound("No such study.")
    return found


