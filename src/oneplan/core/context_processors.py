"""Template context every page needs (the acting professional, break-glass banner)."""


def oneplan(request):
    user = getattr(request, "user", None)
    professional = getattr(user, "professional", None) if user and user.is_authenticated else None
    return {"professional": professional}
