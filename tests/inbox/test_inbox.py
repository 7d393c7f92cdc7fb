"""One inbox per professional: notify, e-mail, unread count on every page, marking read."""
import pytest
from django.core import mail
from django.db import transaction
from django.test import RequestFactory

from oneplan.audit.models import AuditEvent
from oneplan.audit.services import record
from oneplan.core.errors import NotFound
from oneplan.inbox import messages, services
from oneplan.inbox.context_processors import inbox as inbox_context
from oneplan.inbox.models import Notification
from tests.factories import ProfessionalFactory, family_with_team
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chain_started(db):
    record(None, "test.warmup")


messages.register("test.note", "%(title)s", "%(body)s")


def _notify(recipient, title="New referral", **kwargs):
    return services.notify(recipient=recipient, kind=kwargs.pop("kind", "referral_incoming"),
                           message="test.note", link=kwargs.pop("link", "/families/"),
                           params={"title": title, "body": kwargs.pop("body", "Open it in oneplan.")},
                           **kwargs)


def test_a_notification_without_a_registered_message_is_a_programming_error(professional):
    with pytest.raises(ValueError, match="unknown notification message"):
        services.notify(recipient=professional, kind="other", message="no.such.message")


def test_notify_puts_it_in_the_inbox_and_emails_it(professional, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(professional, body="A referral for your service arrived.")
    assert notification.is_unread and notification.recipient == professional
    [message] = mail.outbox
    assert message.to == [professional.email]
    assert message.subject == "[oneplan] New referral"
    assert "A referral for your service arrived." in message.body
    assert "http://127.0.0.1:8000/families/" in message.body


def test_notify_without_email_sends_none(professional, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(professional, email=False)
    assert mail.outbox == []
    assert Notification.objects.count() == 1


def test_notification_of_a_rolled_back_action_is_neither_kept_nor_emailed(
        professional, django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        _notify(professional)
        raise RuntimeError("the service failed")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_unknown_kind_is_a_programming_error(professional):
    with pytest.raises(ValueError):
        _notify(professional, kind="gossip")


def test_unread_count_context_is_a_single_query(professional, django_assert_num_queries):
    for _ in range(3):
        _notify(professional)
    _notify(ProfessionalFactory())
    request = RequestFactory().get("/")
    request.user = professional.user
    assert professional.user.professional  # already loaded by the core context processor in a request
    with django_assert_num_queries(1):
        assert inbox_context(request) == {"inbox_unread": 3}


def test_unread_count_context_has_no_query_for_anonymous_users(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert inbox_context(request) == {}


def test_every_page_shows_the_unread_count_with_an_accessible_label(logged_in, professional):
    for _ in range(3):
        _notify(professional)
    page = logged_in.get("/plans/actions/").content.decode()
    assert '<span class="visually-hidden">,</span> <span class="badge">3</span>' \
           '<span class="visually-hidden"> unread</span>' in page


def test_inbox_lists_unread_first_and_marks_them(logged_in, professional):
    read = _notify(professional, title="Old news")
    services.notification_mark_read(actor=professional, notification_id=read.pk)
    _notify(professional, title="Fresh news")
    page = logged_in.get("/inbox/").content.decode()
    assert page.index("Fresh news") < page.index("Old news")
    assert page.count(">New</span>") == 1


def test_inbox_shows_only_ones_own_notifications(logged_in, professional):
    _notify(ProfessionalFactory(), title="Someone else's referral")
    assert "Someone else" not in logged_in.get("/inbox/").content.decode()


def test_inbox_is_paginated(logged_in, professional, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "PAGE_SIZE": 2}
    for i in range(5):
        _notify(professional, title=f"Note {i}")
    page = logged_in.get("/inbox/?page=3").content.decode()
    assert "Page 3 of 3" in page


def test_mark_read_from_the_inbox(logged_in, professional):
    notification = _notify(professional)
    response = logged_in.post(f"/inbox/{notification.pk}/read/", {"next": "/inbox/"})
    assert response.status_code == 302 and response.url == "/inbox/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert AuditEvent.objects.filter(action="inbox.mark_read", outcome="allowed").exists()


def test_opening_a_notification_marks_it_read_and_follows_its_link(logged_in, professional):
    family = family_with_team(coordinator=professional)
    notification = _notify(professional, link=f"/families/{family.pk}/", family=family)
    response = logged_in.get(f"/inbox/{notification.pk}/open/")
    assert response.status_code == 302 and response.url == f"/families/{family.pk}/"
    notification.refresh_from_db()
    assert not notification.is_unread


def test_opening_never_redirects_off_site(logged_in, professional):
    notification = _notify(professional, link="https://evil.example/")
    assert logged_in.get(f"/inbox/{notification.pk}/open/").url == "/inbox/"


def test_mark_all_read(logged_in, professional):
    for _ in range(4):
        _notify(professional)
    other = _notify(ProfessionalFactory())
    response = logged_in.post("/inbox/read-all/", follow=True)
    assert "4 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=professional, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.is_unread


def test_cannot_mark_someone_elses_notification_read(professional):
    theirs = _notify(ProfessionalFactory())
    with pytest.raises(NotFound):
        services.notification_mark_read(actor=professional, notification_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.is_unread
    event = AuditEvent.objects.get(action="inbox.mark_read", outcome="denied")
    assert event.actor_id == professional.user_id and event.object_id == str(theirs.pk)


def test_someone_elses_notification_is_not_found_in_the_browser(logged_in):
    theirs = _notify(ProfessionalFactory())
    assert logged_in.get(f"/inbox/{theirs.pk}/open/").status_code == 404


def test_caseload_shows_the_latest_unread_notifications(logged_in, professional):
    _notify(professional, title="Match in the reference index", kind="match")
    page = logged_in.get("/families/").content.decode()
    assert "1 new in your inbox" in page
    assert "Match in the reference index" in page


def test_caseload_asks_nothing_more_when_the_inbox_is_empty(logged_in, professional):
    def count():
        return page_queries(logged_in, "/families/")

    empty = count()
    _notify(professional)
    assert count() == empty + 1  # the latest unread, only when there are any
    logged_in.post("/inbox/read-all/")
    assert "new in your inbox" not in logged_in.get("/families/").content.decode()


def test_the_language_switch_is_kept_for_e_mails(logged_in, professional):
    logged_in.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    professional.refresh_from_db()
    assert professional.language == "nl"


def test_an_e_mail_is_written_in_the_recipients_language(professional, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.utils.translation import gettext_lazy

    from oneplan.inbox import messages
    from oneplan.inbox.services import notify

    professional.language = "nl"
    professional.save()
    messages.register("test.consent", gettext_lazy("Consent given: %(categories)s"))
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=professional, kind="consent", message="test.consent",
               params={"_categories": ["Finance", "Health"]})
    assert mail.outbox[-1].subject == "[oneplan] Toestemming gegeven: Financiën, Gezondheid"
