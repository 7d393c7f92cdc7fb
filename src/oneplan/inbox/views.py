"""The inbox page: the professional's notifications, unread first; marking them read."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from oneplan.core.pagination import paginate
from oneplan.core.web import professional_required
from oneplan.inbox import selectors, services


@professional_required
def inbox(request):
    only_unread = request.GET.get("show") == "unread"
    page = paginate(selectors.inbox(actor=request.professional, only_unread=only_unread),
                    request.GET.get("page"))
    return render(request, "inbox/inbox.html", {"page": page, "only_unread": only_unread})


def _safe(request, link: str) -> str:
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return link
    return ""


@professional_required
def open_notification(request, notification_id):
    """Following a notification's link marks it read."""
    notification = services.notification_mark_read(actor=request.professional,
                                                   notification_id=notification_id)
    return redirect(_safe(request, notification.link) or "inbox:inbox")


@require_POST
@professional_required
def mark_read(request, notification_id):
    services.notification_mark_read(actor=request.professional, notification_id=notification_id)
    return redirect(_safe(request, request.POST.get("next", "")) or "inbox:inbox")


@require_POST
@professional_required
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.professional)
    messages.success(request, ngettext("%(n)d notification marked read.",
                                       "%(n)d notifications marked read.", count) % {"n": count}
                     if count else _("Nothing was unread."))
    return redirect("inbox:inbox")
