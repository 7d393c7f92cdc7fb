"""`partnership_nav` for the main navigation: asked (one EXISTS query) only when a page shows it."""
from oneplan.partnership import rules


def partnership(request):
    user = getattr(request, "user", None)
    professional = getattr(user, "professional", None) if user is not None and user.is_authenticated else None
    if professional is None:
        return {"partnership_nav": False}
    return {"partnership_nav": lambda: rules.is_member_professional(professional)}
