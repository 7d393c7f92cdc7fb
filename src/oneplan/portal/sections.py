"""The family's feedback on the family file, for the coordinator(s)."""
from oneplan.portal.models import Feedback


def feedback_section(request, file) -> dict | None:
    if not (file.access.membership and file.access.membership.is_coordinating):
        return None
    items = list(Feedback.objects.filter(family=file.family)
                 .select_related("person", "professional__user", "review")[:20])
    return {"feedback": items}
