"""Requests for help at the front door for `oneplan demo`: a queue worth looking at (login
`voordeur`), sent through the same services as the public form."""
import datetime as dt

from django.utils import timezone

from oneplan.accounts.models import Professional
from oneplan.frontdoor import services

REQUESTS = [
    # (hours ago, values)
    (30, {"asker": "family", "asker_name": "Samira Aydin", "phone": "06 2345 6789", "contact_by": "phone",
          "contact_when": "after 15:00", "place": "Noord", "children": "9 and 3",
          "domains": ["finances_debts", "housing"], "urgency": "soon",
          "story": "We got a letter that we will be evicted if we do not pay the rent arrears. I do not "
                   "know where to start, there are more bills."}),
    (3, {"asker": "school", "asker_name": "Linda Vos (Basisschool De Regenboog)", "phone": "020 555 0160",
         "email": "ib@regenboog.example", "contact_by": "email", "family_name": "Kok", "family_knows": "yes",
         "children": "8", "domains": ["child_development_school", "parenting"], "urgency": "routine",
         "story": "A pupil is often absent on Mondays and tired. The mother told us things are hard at home "
                  "since the father left and agreed that we ask for help."}),
    (1, {"asker": "neighbour", "asker_name": "J. de Boer", "phone": "06 9876 5432", "contact_by": "sms",
         "family_name": "next door, number 14", "family_knows": "no", "domains": ["safety"],
         "urgency": "urgent", "unsafe_now": True,
         "story": "Every night shouting and things breaking next door. The small children cry a lot."}),
    (52, {"asker": "family", "asker_name": "Peter Smit", "email": "p.smit@example.org", "contact_by": "email",
          "domains": ["income_work", "mental_health"], "urgency": "routine",
          "story": "I lost my job and I cannot sleep. My son (15) does not go to school any more."}),
]


def seed_requests(worker: Professional) -> int:
    now = timezone.now()
    made = []
    for hours, values in REQUESTS:
        full = {"phone": "", "email": "", "family_knows": "", "family_name": "", "place": "", "children": "",
                "contact_when": "", "unsafe_now": False, **values}
        item, _code = services.request_submit(actor=None, values=full, language="nl",
                                              source=f"demo-{len(made)}")
        item.created_at = now - dt.timedelta(hours=hours)
        item.due_at = item.due_at - dt.timedelta(hours=hours)
        item.save(update_fields=["created_at", "due_at"])
        made.append(item)
    # The oldest is in contact already; one was handled with advice.
    services.request_take(actor=worker, request_id=made[0].pk)
    services.contact_record(actor=worker, request_id=made[0].pk, at=now - dt.timedelta(hours=20), how="phone",
                            note="Spoke with Samira; she sends the letters tonight.")
    services.outcome_close(actor=worker, request_id=made[3].pk, reason="other",
                           note="Referred himself to the GP the same week; asked to call again if needed.")
    return len(made)
