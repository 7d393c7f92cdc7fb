"""Benchmark scenarios: server time of key pages, measured in-process with Django's test client.

Each scenario is a function (context) -> list of (url, headers) to request in turn; later
issues add theirs to SCENARIOS. The trivial /healthz view, served the same way, is the
framework ceiling every other figure is compared with.
"""
import datetime as dt
import json
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.utils import timezone

from oneplan.access import rules
from oneplan.access.rules import active_team_q
from oneplan.access.subject import subject_export
from oneplan.accounts.models import Organisation, Professional, Role, User
from oneplan.accounts.services import token_create
from oneplan.audit.models import AuditEvent
from oneplan.core import crypto, email, events, outbox
from oneplan.core.errors import Conflict
from oneplan.directory import hsds_import as hsds_import_reader
from oneplan.directory import hsds_out
from oneplan.directory import services as directory_services
from oneplan.families.models import CareTeamMember, Membership
from oneplan.plans.models import PlanVersion
from oneplan.portal.models import FamilyAccount
from oneplan.sampledata.index_persons import SEED_ORG_PREFIX, synthetic_bsn, synthetic_person
from oneplan.sampledata.synthetic import busy_family_id
from oneplan.sampledata.synthetic_network import RECEIVING_ORGANISATION, receiving_staff
from oneplan.signals.identity import PURPOSE_NATIONAL_ID
from oneplan.signals.models import Signal
from oneplan.signals.services import signal_register
from oneplan.webhooks import services as webhook_services
from oneplan.webhooks.models import Delivery


@dataclass
class Context:
    professional: Professional
    family_ids: list[int]
    client: Client
    token: str
    extra: dict = field(default_factory=dict)


@dataclass
class Scenario:
    name: str
    requests: Callable[[Context], list[tuple[str, dict]]]
    target_p95_ms: float | None = None
    client: str = "professional"  # or "family" (the family portal's) or "queue" (a receiving practitioner's)
    setup: Callable | None = None  # returns a function that undoes it


def _consent_checks_off():

    saved, rules.CONSENT_CHECK = rules.CONSENT_CHECK, None
    return lambda: setattr(rules, "CONSENT_CHECK", saved)


# Realistic directory searches: by need, need and age, language and area, words, all combined.
DIRECTORY_SEARCHES = [
    "domain=finances_debts", "domain=parenting&age=8", "language=ar&area=Oost", "q=debt",
    "domain=mental_health&age=34&area=Zuid&language=en&q=treatment", "domain=housing",
    "domain=child_development_school&age=10", "language=tr&area=Nieuw-West", "q=parents+home",
    "domain=family_relations&age=15&area=West&language=nl&q=conflict", "", "domain=finances_debts&page=2",
]
# The receiving organisation's queue: open (oldest sent first), urgent, new, waiting, further pages
# (OFFSET paging costs grow with the page number; docs/benchmarks.md gives page 100 separately).
QUEUE_PAGES = ["", "urgency=urgent", "state=new", "page=2", "state=waiting", "page=5",
               "urgency=soon&page=3", "page=20"]


def _directory_searches(c):
    return [(f"/directory/?{q}" if q else "/directory/", {}) for q in DIRECTORY_SEARCHES]


def _queue_pages(c):
    return [(f"/referrals/?{q}" if q else "/referrals/", {}) for q in QUEUE_PAGES]


def _fhir_task_pages(c):
    """A partner's case system paging through its organisation's referrals as FHIR Tasks, 50 a
    page: the first page and pages further on (keyset: `_after` an id)."""
    base = f"/fhir/R4/Task?owner=Organization/{c.extra['queue_organisation']}&_count=50"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {c.extra['queue_token']}"}
    return [(base, auth)] + [(f"{base}&_after={after}", auth) for after in c.extra["queue_page_starts"]]


def _cycle(items, n):
    return [items[i % len(items)] for i in range(n)]


SCENARIOS: list[Scenario] = [
    Scenario("framework ceiling (/healthz)", lambda c: [("/healthz", {})]),
    Scenario("caseload page", lambda c: [("/families/", {})], 100),
    Scenario("family file page", lambda c: [(f"/families/{i}/", {}) for i in c.family_ids], 150),
    Scenario("API family read", lambda c: [(f"/api/v1/families/{i}", {
        "HTTP_AUTHORIZATION": f"Bearer {c.token}"}) for i in c.family_ids]),
    # One family, one plan (3 assessments and 2 agreed plan versions per family).
    Scenario("plan page", lambda c: [(f"/plans/family/{i}/", {}) for i in c.family_ids], 150),
    Scenario("domain-scores chart", lambda c: [(f"/assessments/family/{i}/chart/", {})
                                               for i in c.family_ids], 150),
    Scenario("my open actions", lambda c: [("/plans/actions/", {})], 100),
    # The family's side: the same family file without consent checks (the cost of consent),
    # and the portal page with its access log read from the audit table.
    Scenario("family file, consent checks off", lambda c: [(f"/families/{i}/", {}) for i in c.family_ids],
             setup=_consent_checks_off),
    Scenario("portal page with access log", lambda c: [(f"/portal/family/{c.extra['portal_family']}/", {})],
             150, client="family"),
    # "Who looked at our file": the busy household's timeline (sampledata/synthetic.py gives it 1 % of
    # the audit events over two years), its newest page and pages back to the start of the file.
    Scenario("who looked at our file (timeline pages)", lambda c: [
        (f"/portal/family/{c.extra['timeline_family']}/who-looked/" + (f"?before={day}" if day else ""), {})
        for day in c.extra["timeline_pages"]], 150, client="timeline"),
    # The care network (sampledata/synthetic_network.py): 5,000 services; one organisation's queue of
    # 10,000 open referrals, read by one of its practitioners.
    Scenario("directory search", _directory_searches, 100),
    Scenario("incoming referral queue", _queue_pages, 100, client="queue"),
    Scenario("FHIR Task search by owner (50 a page)", _fhir_task_pages, 100, client="queue"),
    Scenario("FHIR CarePlan read", lambda c: [(f"/fhir/R4/CarePlan/{v}", {
        "HTTP_AUTHORIZATION": f"Bearer {c.token}"}) for v in c.extra["care_plans"]], 50),
]


def pick_professional(target: int = 40) -> Professional:
    """A professional whose active caseload is closest to `target` families."""
    today = timezone.localdate()
    counts = (CareTeamMember.objects.filter(active_team_q(today)).values("professional_id")
              .annotate(n=Count("id")).filter(n__gte=target * 0.75, n__lte=target * 1.25)
              .order_by("professional_id")[:1])
    row = counts[0] if counts else (CareTeamMember.objects.filter(active_team_q(today))
                                    .values("professional_id").annotate(n=Count("id")).order_by("-n")[0])
    return Professional.objects.select_related("user").get(pk=row["professional_id"])


def build_context() -> Context:

    professional = pick_professional()
    family_ids = list(CareTeamMember.objects.filter(active_team_q(), professional=professional)
                      .values_list("family_id", flat=True))
    client = Client()
    client.force_login(professional.user)
    _token, key = token_create(actor_user=professional.user, name=f"bench {time.time_ns()}")
    context = Context(professional, family_ids, client, key)
    context.extra.update(_portal_client(professional, family_ids))
    context.extra.update(_queue_client(professional))
    context.extra["care_plans"] = list(PlanVersion.objects.filter(
        plan__family_id__in=family_ids, status=PlanVersion.Status.AGREED).values_list("id", flat=True)[:40])
    context.extra.update(_timeline_client())
    return context


def _portal_client(professional, family_ids) -> dict:
    """A parent of one of the professional's families with a portal account (made once)."""

    account = FamilyAccount.objects.filter(person__memberships__family_id__in=family_ids).first()
    if account is None:

        membership = Membership.objects.filter(family_id__in=family_ids, relation="parent").first()
        user = User.objects.create(username=f"bench-family-{time.time_ns()}", kind=User.Kind.FAMILY)
        account = FamilyAccount.objects.create(user=user, person_id=membership.person_id)
    family_id = (Membership.objects.filter(person_id=account.person_id, family_id__in=family_ids)
                 .values_list("family_id", flat=True).first())
    client = Client()
    client.force_login(account.user)
    return {"portal_family": family_id, "family_client": client, "portal_person": account.person_id}


def _family_login(person_id: int) -> Client:

    account = FamilyAccount.objects.filter(person_id=person_id).select_related("user").first()
    if account is None:
        user = User.objects.create(username=f"bench-family-{time.time_ns()}", kind=User.Kind.FAMILY)
        account = FamilyAccount.objects.create(user=user, person_id=person_id)
    client = Client()
    client.force_login(account.user)
    return client


def _timeline_client(pages: int = 20) -> dict:
    """A member of the busy household, and the pages to read: the newest, then `pages` days
    spread evenly from its first audit event to its last (each `?before=` starts a page)."""
    from django.db.models import Max, Min


    family_id = busy_family_id()
    member = Membership.objects.filter(family_id=family_id, ended_on__isnull=True).order_by("id").first()
    span = AuditEvent.objects.filter(family_id=family_id).aggregate(first=Min("at"), last=Max("at"))
    days = [""]
    if span["first"] and span["last"] > span["first"]:
        first, last = timezone.localdate(span["first"]), timezone.localdate(span["last"])
        days += [str(first + (last - first) * k / pages + dt.timedelta(days=1)) for k in range(pages)]
    return {"timeline_family": family_id, "timeline_client": _family_login(member.person_id),
            "timeline_pages": days}


def _queue_client(fallback: Professional) -> dict:
    """A practitioner of the receiving organisation of the synthetic network; without that
    network (small test data), the benchmark's own professional with their empty queue."""

    receiver = fallback
    if Organisation.objects.filter(name=RECEIVING_ORGANISATION).exists():
        receiver = receiving_staff()[0]
    client = Client()
    client.force_login(receiver.user)
    _token, key = token_create(actor_user=receiver.user, name=f"bench case system {time.time_ns()}")
    organisation = receiver.primary_organisation
    ids = list(organisation.incoming_referrals.order_by("id").values_list("id", flat=True)) if organisation else []
    starts = [ids[int(len(ids) * f)] for f in (0.1, 0.3, 0.5, 0.7, 0.9)] if len(ids) > 10 else []
    return {"queue_client": client, "queue_professional": receiver.pk, "queue_token": key,
            "queue_organisation": organisation.pk if organisation else 0, "queue_page_starts": starts}


def subject_export_seconds(context, repeats: int = 5) -> float:
    """Wall time of the slowest of a few subject access exports for one person."""

    officer = _officer()
    worst = 0.0
    for _ in range(repeats):
        started = time.perf_counter()
        subject_export(actor=officer, person_id=context.extra["portal_person"])
        worst = max(worst, time.perf_counter() - started)
    return worst


def _officer():

    user, _ = User.objects.get_or_create(username="bench-privacy-officer")
    officer, _ = Professional.objects.get_or_create(user=user, defaults={"roles": ["privacy_officer"]})
    return officer


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def run(context: Context, *, requests: int = 200, warmup: int = 20,
        only: set[str] | None = None) -> list[dict]:
    """Time every scenario (or those named in `only`; the framework ceiling always runs first)."""
    results = []
    for scenario in SCENARIOS:
        if only is not None and scenario.name not in only and scenario is not SCENARIOS[0]:
            continue
        plan = scenario.requests(context)
        client = (context.client if scenario.client == "professional"
                  else context.extra[f"{scenario.client}_client"])
        undo = scenario.setup() if scenario.setup else None
        timings = []
        for i, (url, headers) in enumerate(_cycle(plan, warmup + requests)):
            started = time.perf_counter()
            response = client.get(url, **headers)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{scenario.name}: {url} answered {response.status_code}")
            if i >= warmup:
                timings.append(elapsed)
        if undo:
            undo()
        results.append({"name": scenario.name, "p50": percentile(timings, 50),
                        "p95": percentile(timings, 95), "target": scenario.target_p95_ms,
                        "n": len(timings)})
    ceiling = results[0]["p95"] or 1
    for row in results:
        row["ratio"] = row["p95"] / ceiling
        row["ok"] = row["target"] is None or row["p95"] < row["target"]
    return results


def table(results: list[dict]) -> str:
    lines = ["| scenario | p50 ms | p95 ms | p95 / ceiling | target p95 | |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        target = f"< {r['target']:.0f} ms" if r["target"] else "—"
        verdict = ("PASS" if r["ok"] else "FAIL") if r["target"] else ""
        lines.append(f"| {r['name']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['ratio']:.1f}× | "
                     f"{target} | {verdict} |")
    return "\n".join(lines)


INDEX_TARGET_MS = 5.0
NAME_INDEX_TARGET_MS = 10.0


def _index_professional(suffix: str = "") -> Professional:
    """A practitioner of an organisation that seeded nobody, so each registration finds one match."""

    org, _ = Organisation.objects.get_or_create(
        name=f"Bench reference-index organisation{suffix}",
        defaults={"sector": "social_work", "phone": "+31 20 555 9999"})
    user, created = User.objects.get_or_create(username=f"bench-index{suffix.replace(' ', '-')}", defaults={
        "first_name": "Bench", "last_name": "Index", "email": "bench-index@example.org"})
    if created:
        user.set_unusable_password()
        user.save()
    pro, _ = Professional.objects.get_or_create(user=user, defaults={"roles": [Role.PRACTITIONER]})
    pro.organisations.add(org)
    return Professional.objects.select_related("user").get(pk=pro.pk)


def index_registrations(*, registrations: int = 500, warmup: int = 100) -> dict:
    """Time in-process `signal_register` calls that each find their one match among the seeded
    persons (signals.seed), with a quiet e-mail backend (the console one prints every e-mail)."""
    from django.core import mail
    from django.test.utils import override_settings


    actor = _index_professional()
    seeded = Signal.objects.filter(organisation__name__startswith=SEED_ORG_PREFIX,
                                   ended_on__isnull=True).count()
    own = Signal.objects.filter(organisation=actor.primary_organisation, ended_on__isnull=True)
    # Persons 0, 1, 2 ... in turn: the next run goes on where the last one stopped.
    start = own.count()
    if start + warmup + registrations > seeded:
        own.update(ended_on=timezone.localdate(), ended_how=Signal.EndedHow.ENDED)
        start = 0
    timings, matches = [], 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for k in range(warmup + registrations):
            number = synthetic_bsn(start + k)
            started = time.perf_counter()
            signal = signal_register(actor=actor, national_id=number)
            elapsed = (time.perf_counter() - started) * 1000
            if k >= warmup:
                timings.append(elapsed)
                matches += len(signal.new_matches)
            mail.outbox = []
    if matches != registrations:
        raise RuntimeError(f"reference index: {matches} matches for {registrations} registrations")
    p95 = percentile(timings, 95)
    return {"name": "reference index: register + match", "p50": percentile(timings, 50), "p95": p95,
            "n": len(timings), "persons": seeded, "target": INDEX_TARGET_MS, "ok": p95 < INDEX_TARGET_MS}


def misspell(name: str, i: int) -> str:
    """A typo in a name, varied by i: two neighbouring letters swapped, or one left out."""
    if len(name) < 4:
        return name
    at = 1 + i % (len(name) - 2)
    if i % 2:
        return name[:at] + name[at + 1] + name[at] + name[at + 2:]
    return name[:at] + name[at + 1:]


def index_name_registrations(*, registrations: int = 500, warmup: int = 100) -> dict:
    """Time in-process `signal_register` calls by name and date of birth, the given name
    misspelt, that each must find seeded person i (registered by BSN with name and date) among
    all seeded persons: blocking-key lookup, scoring of the block, audit, match and notices."""
    from django.core import mail
    from django.test.utils import override_settings


    actor = _index_professional(" (names)")
    seeded = Signal.objects.filter(organisation__name__startswith=SEED_ORG_PREFIX, ended_on__isnull=True,
                                   dob_digest__isnull=False).count()
    own = Signal.objects.filter(organisation=actor.primary_organisation, ended_on__isnull=True)
    start = own.count()
    if start + warmup + registrations > seeded:
        own.update(ended_on=timezone.localdate(), ended_how=Signal.EndedHow.ENDED)
        start = 0
    timings, found, extra, refused = [], 0, 0, 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for k in range(warmup + registrations):
            i = start + k
            given, family, dob = synthetic_person(i)
            target = crypto.keyed_hash(synthetic_bsn(i), purpose=PURPOSE_NATIONAL_ID)
            started = time.perf_counter()
            try:
                signal = signal_register(actor=actor, given_name=misspell(given, i), family_name=family,
                                         date_of_birth=dob)
            except Conflict:  # an earlier seeded person alike enough counts as already registered
                refused += 1
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if k >= warmup:
                timings.append(elapsed)
                matched = signal.new_matches + signal.possible_matches
                found += any(m.first.subject_hash == target for m in matched)
                extra += sum(m.first.subject_hash != target for m in matched)
            mail.outbox = []
    p95 = percentile(timings, 95)
    return {"name": "reference index: register by misspelt name + match", "p50": percentile(timings, 50),
            "p95": p95, "n": len(timings), "persons": seeded, "found": found, "extra": extra,
            "refused": refused,
            "target": NAME_INDEX_TARGET_MS, "ok": p95 < NAME_INDEX_TARGET_MS and found == len(timings)}


def outbox_delivery(count: int = 1000) -> dict:
    """`count` e-mails through the outbox into the locmem backend: stored in one transaction,
    then delivered by the worker's own loop (`core.outbox.deliver_round`). Target: < 10 s."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                           TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        outbox.deliver_round()  # what the bench's own steps queued (match notices) goes first
        mail.outbox = []
        started = time.perf_counter()
        with transaction.atomic():
            email.send_many([email.message(to=f"bench{i}@example.org", subject=f"Bench {i}",
                                           text="A notice.", html="<p>A notice.</p>")
                             for i in range(count)])
        stored = time.perf_counter() - started
        started = time.perf_counter()
        sent = outbox.deliver_round()
        delivered = time.perf_counter() - started
    return {"count": count, "sent": sent, "received": len(mail.outbox), "store_s": stored,
            "deliver_s": delivered, "ok": sent == count == len(mail.outbox) and delivered < 10}


WEBHOOK_TARGET_S = 30


class _Receiver(ThreadingHTTPServer):
    """A partner system on this machine: counts the webhook-ids it received (answers 204)."""

    daemon_threads = True

    def __init__(self):
        self.received: set[str] = set()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.received.add(self.headers["webhook-id"])
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


def _webhook_admin() -> Professional:
    org, _ = Organisation.objects.get_or_create(
        name="Bench webhooks organisation", defaults={"sector": "social_work", "phone": "+31 20 555 9998"})
    user, created = User.objects.get_or_create(username="bench-webhooks", defaults={
        "first_name": "Bench", "last_name": "Webhooks", "email": "bench-webhooks@example.org"})
    if created:
        user.set_unusable_password()
        user.save()
    pro, _ = Professional.objects.get_or_create(user=user, defaults={"roles": [Role.ORG_ADMIN]})
    pro.organisations.add(org)
    return pro


def webhook_delivery(count: int = 1000) -> dict:
    """`count` events to one endpoint of a receiver on this machine (http.server in a thread):
    published in one transaction (a Delivery and an outbox message each), then delivered as
    signed POSTs by the worker's own loop. Target: all delivered in < 30 s."""
    receiver = _Receiver()
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    allow = {**settings.ONEPLAN, "WEBHOOKS_ALLOW_PRIVATE": True}
    try:
        with override_settings(ONEPLAN=allow,
                               TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
            outbox.deliver_round()  # what earlier steps queued goes first
            admin = _webhook_admin()
            organisation = admin.organisations.get()
            endpoint, _ = webhook_services.endpoint_create(
                actor=admin, organisation_id=organisation.pk, event_types=[events.PLAN_AGREED],
                url=f"http://127.0.0.1:{receiver.server_address[1]}/oneplan")
            started = time.perf_counter()
            with transaction.atomic():
                for i in range(count):
                    events.publish(events.PLAN_AGREED, organisations=[organisation.pk],
                                   data={"family": f"Group/{i}", "carePlan": f"CarePlan/{i}", "version": 1})
            stored = time.perf_counter() - started
            started = time.perf_counter()
            sent = outbox.deliver_round()
            delivered = time.perf_counter() - started
            done = Delivery.objects.filter(endpoint=endpoint, delivered_at__isnull=False).count()
            webhook_services.endpoint_deactivate(actor=admin, endpoint_id=endpoint.pk)
    finally:
        receiver.shutdown()
        receiver.server_close()
    return {"count": count, "sent": sent, "received": len(receiver.received), "delivered": done,
            "store_s": stored, "deliver_s": delivered, "target_s": WEBHOOK_TARGET_S,
            "ok": sent == count == len(receiver.received) == done and delivered < WEBHOOK_TARGET_S}


HSDS_IMPORT_TARGET_S = 60.0


def _hsds_services(count: int) -> list[dict]:
    """`count` full HSDS 3.0 services of 100 organisations, with ids derived from their number so
    a second run updates the same services."""
    root = uuid.uuid5(uuid.NAMESPACE_URL, "urn:oneplan:bench:hsds")
    domain_terms = [t for t in hsds_out.terms() if t.taxonomy == hsds_out.LIFE_DOMAINS]
    out = []
    for i in range(count):
        sid, oid = uuid.uuid5(root, f"service:{i}"), uuid.uuid5(root, f"organisation:{i % 100}")
        loc = uuid.uuid5(sid, "location")
        term = domain_terms[i % len(domain_terms)]
        out.append({
            "id": str(sid), "name": f"Bench service {i:05d}", "status": "active",
            "description": "Generated for the import benchmark.", "minimum_age": 18,
            "organization": {"id": str(oid), "name": f"Bench HSDS organisation {i % 100:03d}", "description": ""},
            "phones": [{"id": str(uuid.uuid5(sid, "phone")), "number": "020 555 0100"}],
            "languages": [{"id": str(uuid.uuid5(sid, "nl")), "code": "nl", "name": "Dutch"}],
            "service_areas": [{"id": str(uuid.uuid5(sid, "area")), "name": f"District {i % 20}"}],
            "service_at_locations": [{"id": str(uuid.uuid5(sid, "link")), "location": {
                "id": str(loc), "location_type": "physical", "name": "Office", "addresses": [{
                    "id": str(uuid.uuid5(loc, "address")), "address_1": f"Straat {i}", "city": "Zwolle",
                    "state_province": "Overijssel", "postal_code": "8000 AA", "country": "NL",
                    "address_type": "physical"}]}}],
            "contacts": [{"id": str(uuid.uuid5(sid, "contact")), "name": "Intake desk", "email": "intake@example.org"}],
            "attributes": [{"id": str(uuid.uuid5(sid, "domain")), "taxonomy_term_id": term.id,
                            "link_entity": "service", "taxonomy_term": hsds_out.term_json(term)}],
        })
    return out


def hsds_import(count: int = 10000) -> dict:
    """Import `count` generated services from one HSDS JSON file, twice: the first run creates
    them (and 100 organisations), the second updates them by id. Each time: reading and checking
    the file against the official schemas, then the one-transaction write. Target: < 60 s."""
    admin = _index_professional(" (HSDS)")
    admin.roles = [Role.NETWORK_ADMIN]
    admin.save(update_fields=["roles"])
    data = json.dumps(_hsds_services(count)).encode()
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        parsed = hsds_import_reader.read("bench.json", data)
        read_s = time.perf_counter() - started
        report = directory_services.directory_import(actor=admin, parsed=parsed, source="bench.json",
                                                     new_organisation_sector="social_work")
        runs.append({"created": report.created, "updated": report.updated, "read_s": read_s,
                     "total_s": time.perf_counter() - started})
    return {"count": count, "megabytes": len(data) / 1e6, "first": runs[0], "again": runs[1],
            "ok": all(r["total_s"] < HSDS_IMPORT_TARGET_S for r in runs)}
