"""Requests for help as the public form or an intake worker makes them, and a front-door worker."""
from oneplan.accounts.models import Role
from oneplan.frontdoor import services
from tests.factories import ProfessionalFactory


def front_door_worker(**kwargs):
    return ProfessionalFactory(roles=[Role.FRONT_DOOR, Role.PRACTITIONER], **kwargs)


def values(**overrides) -> dict:
    data = {"asker": "family", "asker_name": "Sanne de Vries", "phone": "06 1234 5678", "email": "",
            "contact_by": "phone", "contact_when": "mornings", "family_knows": "", "family_name": "",
            "place": "Utrecht", "children": "14 and 6", "domains": ["finances_debts", "housing"],
            "story": "We are behind on the rent and the letters keep coming.", "urgency": "soon",
            "unsafe_now": False}
    data.update(overrides)
    return data


def submit(source="203.0.113.7", language="en", **overrides):
    """(request, code) as sent from the public form."""
    return services.request_submit(actor=None, values=values(**overrides), language=language, source=source)
