"""`inbox_unread` on every page: one indexed COUNT for a logged-in professional, none otherwise."""
from oneplan.inbox.selectors import unread_count


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    professional = getattr(user, "professional", None)  # cached on the user by the core processor
    if professional is None:
        return {}
    # Once per request, however many templates render with the request's context.
    if not hasattr(request, "_inbox_unread"):
        request._inbox_unread = unread_count(professional)
    return {"inbox_unread": request._inbox_unread}
