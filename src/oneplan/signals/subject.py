"""What the subject access export lists from the signals app (registered in its AppConfig.ready)."""
from oneplan.access import subject
from oneplan.access.subject import _date
from oneplan.core.errors import DomainError
from oneplan.signals.identity import subject_for
from oneplan.signals.models import Signal


def _signals(person):
    """Reference-index signals hold no person link, only keyed hashes: recompute the person's."""
    hashes = []
    for identity in ({"given_name": person.given_name, "family_name": person.family_name,
                      "date_of_birth": person.date_of_birth},
                     {"national_id": person.national_id} if person.national_id else None):
        try:
            if identity:
                hashes.append(subject_for(**identity).hash)
        except DomainError:  # an identity the index would refuse cannot be in it either
            pass
    return [{"organisation": s.organisation.name, "matched_on": s.get_basis_display(),
             "registered": _date(s.registered_on), "expires": _date(s.expires_on), "ended": _date(s.ended_on)}
            for s in Signal.objects.filter(subject_hash__in=hashes).select_related("organisation")]


def register() -> None:
    subject.register_section("Reference index signals", "signals.signal.subject_hash", _signals, order=120)
