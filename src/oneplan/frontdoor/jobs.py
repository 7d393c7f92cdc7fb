"""Retention and erasure of requests for help: what identifies anyone is removed, what counts
for the figures (dates, who asked by kind, channel, urgency, outcome) stays."""
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oneplan.audit.services import record
from oneplan.frontdoor.models import HelpRequest, RequestMessage, RequestPerson, Status

REMOVED = "[removed]"


def pseudonymise(item: HelpRequest, reason: str) -> None:
    HelpRequest.objects.filter(pk=item.pk).update(
        asker_name="", phone="", email="", contact_when="", family_name="", place="", children="",
        story=REMOVED, outcome_note=REMOVED if item.outcome_note else "", safety={}, contact_hash="",
        pseudonymised_at=timezone.now())
    RequestMessage.objects.filter(request=item).update(text=REMOVED)
    for member in RequestPerson.objects.filter(request=item):
        member.given_name, member.family_name = "", ""
        member.date_of_birth = dt.date(member.date_of_birth.year, 1, 1)  # the age band only
        member.save(update_fields=["given_name", "family_name", "date_of_birth"])
    item.steps.update(note="")
    record(None, "helprequest.pseudonymise", item, family=item.family_id, category="identity", reason=reason)


def retention_run() -> str:
    """Requests that led to no family file, closed longer ago than the retention period, and
    requests whose family file was pseudonymised itself."""
    months = settings.ONEPLAN["FRONT_DOOR_RETENTION_MONTHS"]
    cutoff = timezone.now() - dt.timedelta(days=round(months * 30.44))
    due = HelpRequest.objects.filter(pseudonymised_at__isnull=True, status=Status.DONE).filter(
        Q(family__isnull=True, outcome_at__lt=cutoff) | Q(family__pseudonymised_at__isnull=False))
    done = 0
    for item in due.iterator():
        with transaction.atomic():
            pseudonymise(item, f"retention: closed over {months} months ago or its family file was "
                               "pseudonymised")
        done += 1
    return f"{done} requests for help pseudonymised after the retention period"


def erase_person(person) -> None:
    """A person's erasure (access/erasure.py) also removes the requests about them."""
    for item in HelpRequest.objects.filter(persons__person=person, pseudonymised_at__isnull=True).distinct():
        pseudonymise(item, "erasure of a person it was about")
