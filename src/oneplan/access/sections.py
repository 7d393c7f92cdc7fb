"""The consents section of the family file."""
from oneplan.access.models import Consent


def family_section(request, file) -> dict:
    consents = list(Consent.objects.filter(family=file.family)
                    .select_related("organisation", "subject", "recorded_by__user",
                                    "withdrawn_by__user", "withdrawn_by_person")
                    .prefetch_related("given_by").order_by("withdrawn_at", "-recorded_at"))
    return {"consents": consents, "can_edit": file.access.can("consent.manage")}
