"""The disciplines professionals in a care network usually have, so each reads in the reader's
language. A discipline is free text on the professional; a known one is translated, any other
is shown as written."""
from django.utils.translation import gettext, gettext_noop

KNOWN = frozenset({
    gettext_noop("Budget coach"), gettext_noop("Debt counsellor"), gettext_noop("Family therapist"),
    gettext_noop("Family worker"), gettext_noop("General practitioner"),
    gettext_noop("Home administration volunteer"), gettext_noop("Housing consultant"),
    gettext_noop("Income consultant"), gettext_noop("Intern care coordinator (IB-er)"),
    gettext_noop("Job coach"), gettext_noop("Network coordinator"), gettext_noop("Policy analyst"),
    gettext_noop("Practice nurse mental health (POH-GGZ)"), gettext_noop("Privacy officer"),
    gettext_noop("Probation officer"), gettext_noop("Psychiatric nurse"), gettext_noop("Psychologist"),
    gettext_noop("School attendance officer"), gettext_noop("Social worker"),
    gettext_noop("Social worker (wijkcoach)"), gettext_noop("Team manager social team"),
    gettext_noop("Tenancy support officer"), gettext_noop("Volunteer coordinator"),
    gettext_noop("Youth care worker"), gettext_noop("Youth doctor"), gettext_noop("Youth health nurse"),
    gettext_noop("Youth protection worker"),
})


def label(discipline: str) -> str:
    return gettext(discipline) if discipline in KNOWN else discipline
