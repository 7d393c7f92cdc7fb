"""Reads behind the FHIR endpoint: the same access rules as the pages, every read audited."""
from django.db.models import Max, Q

from oneplan.access import rules
from oneplan.access.models import Category, Consent
from oneplan.accounts.models import Organisation, Professional
from oneplan.assessments.models import AssessmentScore
from oneplan.audit.services import record, record_many
from oneplan.core.errors import DomainError, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import selector
from oneplan.directory.models import Service
from oneplan.families.models import CareTeamMember, Family, Membership, NetworkMember
from oneplan.fhir import resources, search
from oneplan.fhir.http import FhirError
from oneplan.plans.models import Action, Goal, PlanVersion, ReviewScore
from oneplan.referrals import selectors as referral_selectors
from oneplan.referrals.models import DeclineReason, Referral, ReferralStep
from oneplan.referrals.rules import referral_access
from oneplan.referrals.workflow import FHIR_TASK_STATUS, Status

# The steps whose note is the Task's statusReason.
REASON_STEPS = frozenset({Status.DECLINED, Status.CANCELLED})

SEARCH_PARAMS = {
    "Task": {"_id", "_lastUpdated", "subject", "patient", "status", "owner", "requester", "focus",
             "business-status", "_include"},
    "ServiceRequest": {"_id", "_lastUpdated", "subject", "patient", "status", "requester", "performer"},
}
# FHIR status -> oneplan statuses it may stand for (cancelled and failed share one).
TASK_STATUSES: dict[str, set] = {}
for _status, _fhir in FHIR_TASK_STATUS.items():
    TASK_STATUSES.setdefault(_fhir, set()).add(_status)
TASK_STATUSES["failed"] = {Status.CANCELLED}
SERVICE_REQUEST_STATUSES: dict[str, set] = {}
for _status in Status.values:
    SERVICE_REQUEST_STATUSES.setdefault(resources.SERVICE_REQUEST_STATUS.get(_status, "active"),
                                        set()).add(_status)


def tasks(referrals: list[Referral]) -> list[dict]:
    """Task resources for these referrals: with who ended them and the last reason given."""
    ended = referral_selectors.ended_by_receiver_from(referrals)
    needing = [r.pk for r in referrals if r.status in REASON_STEPS]
    notes = {}
    if needing:
        for step in ReferralStep.objects.filter(referral_id__in=needing).order_by("at", "id"):
            if step.to_status in REASON_STEPS and step.note:
                notes[step.referral_id] = step.note
    found = []
    for referral in referrals:
        reason = notes.get(referral.pk, "")
        if referral.status == Status.DECLINED and referral.decline_reason:
            label = str(DeclineReason(referral.decline_reason).label)
            reason = f"{label}: {referral.decline_text}" if referral.decline_text else label
        found.append(resources.task(referral, ended_from=ended.get(referral.pk), reason=reason))
    return found


def unknown_parameters(params, allowed: set[str]) -> None:
    unknown = sorted(set(params) - allowed - set(search.PAGING))
    if unknown:
        raise FhirError(400, "not-supported", f"Search parameter(s) not supported: {', '.join(unknown)}. "
                        f"Supported: {', '.join(sorted(allowed | set(search.PAGING)))} (see /fhir/R4/metadata).")


def _query(actor: Professional, resource_type: str, params):
    unknown_parameters(params, SEARCH_PARAMS[resource_type])
    qs = search.by_id_and_update(referral_selectors.visible_to(actor), params, "status_changed_at")
    if "subject" in params:
        qs = qs.filter(family_id__in=search.reference_ids(params["subject"], "Group", "subject"))
    if "patient" in params:
        persons = search.reference_ids(params["patient"], "Patient", "patient")
        qs = qs.filter(pk__in=Referral.persons.through.objects.filter(person_id__in=persons)
                       .values("referral_id"))
    if "status" in params:
        table = TASK_STATUSES if resource_type == "Task" else SERVICE_REQUEST_STATUSES
        wanted = search.values(params["status"])
        if not wanted or any(w not in table for w in wanted):
            raise FhirError(400, "invalid", f"status takes {', '.join(sorted(table))}: not {params['status']!r}.")
        qs = qs.filter(status__in={s for w in wanted for s in table[w]})
    for param, field, kind in (("owner", "organisation_id", "Organization"),
                               ("performer", "organisation_id", "Organization"),
                               ("requester", "referrer_organisation_id", "Organization"),
                               ("focus", "pk", "ServiceRequest")):
        if param in params:
            qs = qs.filter(**{f"{field}__in": search.reference_ids(params[param], kind, param)})
    if "business-status" in params:
        codes = [v.rpartition("|")[2] for v in search.values(params["business-status"])]
        if not codes or any(c not in Status.values for c in codes):
            raise FhirError(400, "invalid", f"business-status takes {', '.join(Status.values)}.")
        qs = qs.filter(status__in=codes)
    includes = params.getlist("_include")
    if any(i != "Task:focus" for i in includes):
        raise FhirError(400, "not-supported", "Only _include=Task:focus is supported.")
    return qs.select_related("organisation", "referrer_organisation", "service"), bool(includes)


@selector
def search_referrals(*, actor: Professional, resource_type: str, params, base: str) -> dict:
    """A searchset Bundle of the referrals the actor sees, as Tasks or ServiceRequests; one audit
    event per family on the page."""
    qs, include_focus = _query(actor, resource_type, params)
    rows, marks = search.page(qs, params)
    included = []
    if resource_type == "Task":
        found = tasks(rows)
        if "status" in params:  # cancelled and failed are one oneplan status: keep what was asked
            wanted = set(search.values(params["status"]))
            kept = [(row, res) for row, res in zip(rows, found) if res["status"] in wanted]
            rows, found = [r for r, _ in kept], [res for _, res in kept]
        if include_focus:
            included = [resources.service_request(r) for r in rows]
    else:
        found = [resources.service_request(r) for r in rows]
    record_many(actor, f"fhir.{resource_type.lower()}.search", families=[r.family_id for r in rows],
                object_type="referrals.referral", reason=params.urlencode()[:500])
    return search.bundle(base, params, found, marks, included=included)


@selector
def read_referral(*, actor: Professional, resource_type: str, referral_id) -> tuple[dict, Referral]:
    """One referral as a Task or ServiceRequest (a referral the actor may not see is a 404)."""
    action = f"fhir.{resource_type.lower()}.read"
    referral = referral_access(actor, referral_id, action).referral
    record(actor, action, referral, family=referral.family_id)
    resource = tasks([referral])[0] if resource_type == "Task" else resources.service_request(referral)
    return resource, referral


# --- the family: Group, Patient; its plan: CarePlan, Goal ----------------------------------------

def _family(actor: Professional, family_id, action: str, category: str = Category.IDENTITY):
    """The family access (team or emergency access), refused (404, audited) otherwise."""
    access = rules.family_access(actor, family_id, "family.read")
    rules.require_category(access, category, action)
    return access


@selector
def read_group(*, actor: Professional, family_id) -> dict:
    access = _family(actor, family_id, "fhir.group.read")
    record(actor, "fhir.group.read", access.family, family=access.family, category=Category.IDENTITY,
           organisation=access.organisation)
    memberships = list(Membership.objects.filter(family=access.family).order_by("started_on", "id"))
    return resources.group(access.family, memberships)


@selector
def read_patient(*, actor: Professional, person_id) -> dict:
    """A person, for someone with access to a household the person lives (or lived) in."""
    membership = (Membership.objects.select_related("person").filter(person_id=person_id)
                  .order_by("ended_on", "-started_on").first() if valid_id(person_id) else None)
    if membership is None:
        raise refused(NotFound("This Patient does not exist or you have no access to it."), actor=actor,
                      action="fhir.patient.read", reason="no such person", object_type="families.person",
                      object_id=person_id)
    families = list(Membership.objects.filter(person_id=person_id).values_list("family_id", flat=True))
    access = None
    for family_id in families:
        try:
            access = _family(actor, family_id, "fhir.patient.read")
            break
        except DomainError:
            if family_id == families[-1]:
                raise
    record(actor, "fhir.patient.read", membership.person, family=access.family, person=membership.person,
           category=Category.IDENTITY, organisation=access.organisation)
    return resources.patient(membership.person)


def _plan_versions(actor: Professional):
    """Agreed plan versions of the families the actor may open."""
    return (PlanVersion.objects.filter(status=PlanVersion.Status.AGREED,
                                       plan__family__in=rules.visible_families(actor))
            .select_related("plan", "recorded_by__user"))


def _care_plans(versions: list[PlanVersion]) -> list[dict]:
    if not versions:
        return []
    plan_ids = {v.plan_id for v in versions}
    latest = dict(PlanVersion.objects.filter(plan_id__in=plan_ids, status=PlanVersion.Status.AGREED)
                  .values("plan_id").annotate(top=Max("number")).values_list("plan_id", "top"))
    closed = set(Family.objects.filter(plan__in=plan_ids, closed_on__isnull=False).values_list("plan__id", flat=True))
    goals = {}
    for goal_id, version_id in Goal.objects.filter(version__in=versions).order_by("priority", "id") \
            .values_list("id", "version_id"):
        goals.setdefault(version_id, []).append(goal_id)
    actions = {}
    current = [v for v in versions if latest.get(v.plan_id) == v.number]
    if current:
        for action in (Action.objects.filter(family_id__in={v.plan.family_id for v in current})
                       .select_related("professional__user", "network_member", "person").order_by("due_on", "id")):
            actions.setdefault(action.family_id, []).append(action)
    found = []
    for v in versions:
        is_latest = latest.get(v.plan_id) == v.number
        status = ("completed" if v.plan_id in closed else "active") if is_latest else "revoked"
        found.append(resources.care_plan(v, status=status, goal_ids=goals.get(v.pk, []),
                                         actions=actions.get(v.plan.family_id, []) if is_latest else []))
    return found


CARE_PLAN_PARAMS = {"_id", "_lastUpdated", "subject", "patient", "status"}


@selector
def read_care_plan(*, actor: Professional, version_id) -> dict:
    version = (PlanVersion.objects.select_related("plan", "recorded_by__user")
               .filter(pk=version_id, status=PlanVersion.Status.AGREED).first() if valid_id(version_id) else None)
    if version is None:
        raise refused(NotFound("This CarePlan does not exist or you have no access to it."), actor=actor,
                      action="fhir.careplan.read", reason="no such agreed plan version",
                      object_type="plans.planversion", object_id=version_id)
    access = _family(actor, version.plan.family_id, "fhir.careplan.read", Category.PLAN)
    record(actor, "fhir.careplan.read", version, family=access.family, category=Category.PLAN,
           organisation=access.organisation)
    return _care_plans([version])[0]


@selector
def search_care_plans(*, actor: Professional, params, base: str) -> dict:
    unknown_parameters(params, CARE_PLAN_PARAMS)
    qs = search.by_id_and_update(_plan_versions(actor), params, "updated_at")
    if "subject" in params:
        qs = qs.filter(plan__family_id__in=search.reference_ids(params["subject"], "Group", "subject"))
    if "patient" in params:
        persons = search.reference_ids(params["patient"], "Patient", "patient")
        qs = qs.filter(plan__family__in=Membership.objects.filter(person_id__in=persons).values("family_id"))
    rows, marks = search.page(qs, params)
    found = _care_plans(rows)
    if "status" in params:
        wanted = search.values(params["status"])
        if not wanted or any(w not in ("active", "revoked", "completed") for w in wanted):
            raise FhirError(400, "invalid", "status takes active, revoked, completed.")
        found = [r for r in found if r["status"] in wanted]
    record_many(actor, "fhir.careplan.search", families=[v.plan.family_id for v in rows],
                object_type="plans.planversion", category=Category.PLAN, reason=params.urlencode()[:500])
    return search.bundle(base, params, found, marks)


def _goal_resources(goals: list[Goal]) -> list[dict]:
    persons = {}
    for goal_id, person_id in Goal.persons.through.objects.filter(goal__in=goals).values_list("goal_id", "person_id"):
        persons.setdefault(goal_id, []).append(person_id)
    levels = {}
    for goal_id, level in (ReviewScore.objects.filter(goal__in=goals)
                           .order_by("review__held_on", "review_id").values_list("goal_id", "level")):
        levels[goal_id] = level  # the latest review's level wins
    return [resources.goal(g, g.version.plan.family_id, sorted(persons.get(g.pk, [])), levels.get(g.pk))
            for g in goals]


@selector
def read_goal(*, actor: Professional, goal_id) -> dict:
    item = (Goal.objects.select_related("version__plan").filter(pk=goal_id).first()
            if valid_id(goal_id) else None)
    if item is None or item.version.status != PlanVersion.Status.AGREED:
        raise refused(NotFound("This Goal does not exist or you have no access to it."), actor=actor,
                      action="fhir.goal.read", reason="no such goal of an agreed plan",
                      object_type="plans.goal", object_id=goal_id)
    access = _family(actor, item.version.plan.family_id, "fhir.goal.read", Category.PLAN)
    record(actor, "fhir.goal.read", item, family=access.family, category=Category.PLAN,
           organisation=access.organisation)
    return _goal_resources([item])[0]


# --- team, network, consent, scores, directory ----------------------------------------------------

@selector
def read_care_team(*, actor: Professional, family_id) -> dict:
    access = _family(actor, family_id, "fhir.careteam.read", Category.TEAM)
    record(actor, "fhir.careteam.read", access.family, family=access.family, category=Category.TEAM,
           organisation=access.organisation)
    members = list(CareTeamMember.objects.filter(family=access.family)
                   .select_related("professional__user", "organisation").order_by("started_on", "id"))
    return resources.care_team(access.family, members)


@selector
def read_related_person(*, actor: Professional, member_id) -> dict:
    member = NetworkMember.objects.filter(pk=member_id).first() if valid_id(member_id) else None
    if member is None:
        raise refused(NotFound("This RelatedPerson does not exist or you have no access to it."), actor=actor,
                      action="fhir.relatedperson.read", reason="no such network member",
                      object_type="families.networkmember", object_id=member_id)
    access = _family(actor, member.family_id, "fhir.relatedperson.read", Category.TEAM)
    record(actor, "fhir.relatedperson.read", member, family=access.family, category=Category.TEAM,
           organisation=access.organisation)
    people = list(Membership.objects.filter(family_id=member.family_id, ended_on__isnull=True)
                  .values_list("person_id", flat=True)[:2])
    return resources.related_person(member, people[0] if len(people) == 1 else None)


def read_practitioner(*, actor: Professional, professional_id) -> dict:
    """Professionals are known to each other in the network (as on the pages): any token reads one."""
    professional = (Professional.objects.select_related("user").filter(pk=professional_id).first()
                    if valid_id(professional_id) else None)
    if professional is None:
        raise FhirError(404, "not-found", "There is no such Practitioner.")
    return resources.practitioner(professional)


def read_organization(*, organisation_id) -> dict:
    """Organisations of the network are known to every professional (as on the pages)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first() if valid_id(organisation_id) else None
    if organisation is None:
        raise FhirError(404, "not-found", "There is no such Organization.")
    return resources.organization(organisation)


def search_organizations(*, params, base: str) -> dict:
    unknown_parameters(params, {"_id", "name"})
    qs = Organisation.objects.all()
    if "_id" in params:
        qs = qs.filter(pk__in=search.id_values(params["_id"]))
    if "name" in params:
        qs = qs.filter(name__icontains=params["name"][:200])
    rows, marks = search.page(qs, params)
    return search.bundle(base, params, [resources.organization(o) for o in rows], marks)


def search_practitioners(*, params, base: str) -> dict:
    """Professionals of the network by `_id` or `name` (part of it), as on the pages; no system
    clients (they are not people)."""
    unknown_parameters(params, {"_id", "name"})
    qs = Professional.objects.select_related("user").filter(acting_for__isnull=True, user__is_active=True)
    if "_id" in params:
        qs = qs.filter(pk__in=search.id_values(params["_id"]))
    if "name" in params:
        words = params["name"][:200].split()
        for word in words:
            qs = qs.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word))
    rows, marks = search.page(qs, params)
    return search.bundle(base, params, [resources.practitioner(p) for p in rows], marks)


def _consents(items) -> list[dict]:
    givers = {}
    for consent_id, person_id in Consent.given_by.through.objects.filter(consent__in=items) \
            .values_list("consent_id", "person_id"):
        givers.setdefault(consent_id, []).append(person_id)
    return [resources.consent(c, sorted(givers.get(c.pk, []))) for c in items]


@selector
def read_consent(*, actor: Professional, consent_id) -> dict:
    item = (Consent.objects.select_related("organisation").filter(pk=consent_id).first()
            if valid_id(consent_id) else None)
    if item is None:
        raise refused(NotFound("This Consent does not exist or you have no access to it."), actor=actor,
                      action="fhir.consent.read", reason="no such consent", object_type="access.consent",
                      object_id=consent_id)
    access = _family(actor, item.family_id, "fhir.consent.read")
    record(actor, "fhir.consent.read", item, family=access.family, category=Category.IDENTITY,
           organisation=access.organisation)
    return _consents([item])[0]


@selector
def search_consents(*, actor: Professional, params, base: str) -> dict:
    """A family's consents (`subject=Group/<id>`, required) or a person's (`patient=Patient/<id>`)."""
    unknown_parameters(params, {"subject", "patient", "status"})
    if "subject" not in params:
        raise FhirError(400, "required", "Search consents of one household: subject=Group/<id>.")
    families = search.reference_ids(params["subject"], "Group", "subject")
    if len(families) != 1:
        raise FhirError(400, "invalid", "subject takes one Group.")
    access = _family(actor, families[0], "fhir.consent.search")
    qs = Consent.objects.filter(family=access.family).select_related("organisation")
    if "patient" in params:
        qs = qs.filter(subject_id__in=search.reference_ids(params["patient"], "Patient", "patient"))
    rows, marks = search.page(qs, params)
    found = _consents(rows)
    if "status" in params:
        wanted = search.values(params["status"])
        if not wanted or any(w not in ("active", "inactive") for w in wanted):
            raise FhirError(400, "invalid", "status takes active, inactive.")
        found = [r for r in found if r["status"] in wanted]
    record(actor, "fhir.consent.search", family=access.family, object_type="access.consent",
           category=Category.IDENTITY, organisation=access.organisation, reason=params.urlencode()[:500])
    return search.bundle(base, params, found, marks)


def _score_observations(scores) -> list[dict]:
    found = []
    for score in scores:
        assessment = score.assessment
        found += resources.observations(score, assessment, assessment.instrument.domain(score.domain_key),
                                        assessment.family_id)
    return found


@selector
def read_observation(*, actor: Professional, observation_id: str) -> dict:
    score_id, _, who = str(observation_id).partition("-")
    score = (AssessmentScore.objects.select_related("assessment__instrument").filter(pk=score_id).first()
             if valid_id(score_id) and who in ("professional", "family") else None)
    if score is None:
        raise refused(NotFound("This Observation does not exist or you have no access to it."), actor=actor,
                      action="fhir.observation.read", reason="no such score",
                      object_type="assessments.assessmentscore", object_id=observation_id)
    access = rules.family_access(actor, score.assessment.family_id, "family.read")
    rules.require_category(access, Category.ASSESSMENT, "fhir.observation.read", score.person_id)
    record(actor, "fhir.observation.read", score.assessment, family=access.family,
           category=Category.ASSESSMENT, organisation=access.organisation)
    found = [o for o in _score_observations([score]) if o["id"] == observation_id]
    if not found:
        raise FhirError(404, "not-found", "This Observation does not exist or you have no access to it.")
    return found[0]


@selector
def search_observations(*, actor: Professional, params, base: str) -> dict:
    """A household's domain scores (`subject=Group/<id>`, required), optionally one person's."""
    unknown_parameters(params, {"subject", "patient"})
    if "subject" not in params:
        raise FhirError(400, "required", "Search the scores of one household: subject=Group/<id>.")
    families = search.reference_ids(params["subject"], "Group", "subject")
    if len(families) != 1:
        raise FhirError(400, "invalid", "subject takes one Group.")
    access = _family(actor, families[0], "fhir.observation.search", Category.ASSESSMENT)
    qs = AssessmentScore.objects.filter(assessment__family=access.family).select_related("assessment__instrument")
    if "patient" in params:
        qs = qs.filter(person_id__in=search.reference_ids(params["patient"], "Patient", "patient"))
    rows, marks = search.page(qs, params)
    # A score about one person needs what consent covers for that person.
    rows = [r for r in rows if rules.category_visible(access, Category.ASSESSMENT, r.person_id)[0]]
    record(actor, "fhir.observation.search", family=access.family, object_type="assessments.assessment",
           category=Category.ASSESSMENT, organisation=access.organisation, reason=params.urlencode()[:500])
    return search.bundle(base, params, _score_observations(rows), marks)


def read_healthcare_service(*, service_id) -> dict:
    service = (Service.objects.select_related("organisation").filter(pk=service_id).first()
               if valid_id(service_id) else None)
    if service is None:
        raise FhirError(404, "not-found", "There is no such HealthcareService.")
    return resources.healthcare_service(service)


def search_healthcare_services(*, params, base: str) -> dict:
    unknown_parameters(params, {"_id", "organization", "name", "active"})
    qs = Service.objects.select_related("organisation")
    if "_id" in params:
        qs = qs.filter(pk__in=search.id_values(params["_id"]))
    if "organization" in params:
        qs = qs.filter(organisation_id__in=search.reference_ids(params["organization"], "Organization",
                                                                "organization"))
    if "name" in params:
        qs = qs.filter(name__icontains=params["name"][:200])
    if "active" in params:
        if params["active"] not in ("true", "false"):
            raise FhirError(400, "invalid", "active takes true or false.")
        qs = qs.filter(status="active") if params["active"] == "true" else qs.exclude(status="active")
    rows, marks = search.page(qs, params)
    return search.bundle(base, params, [resources.healthcare_service(s) for s in rows], marks)


@selector
def read_practitioner_role(*, actor: Professional, member_id) -> dict:
    member = (CareTeamMember.objects.select_related("professional__user", "organisation")
              .filter(pk=member_id).first() if valid_id(member_id) else None)
    if member is None:
        raise refused(NotFound("This PractitionerRole does not exist or you have no access to it."),
                      actor=actor, action="fhir.practitionerrole.read", reason="no such team member",
                      object_type="families.careteammember", object_id=member_id)
    access = _family(actor, member.family_id, "fhir.practitionerrole.read", Category.TEAM)
    record(actor, "fhir.practitionerrole.read", member, family=access.family, category=Category.TEAM,
           organisation=access.organisation)
    return resources.practitioner_role(member)


# The family's records that are searched the same way: within the families the actor may open,
# by `_id` and by the household (`subject=Group/<id>`, for a Group itself `_id`), keyset-paged.
FAMILY_SEARCHES = {
    # type: (queryset, the field holding the family id, data category, search parameters)
    "Group": (lambda: Family.objects.all(), "id", Category.IDENTITY, {"_id"}),
    "Patient": (lambda: Membership.objects.select_related("person"), "family_id", Category.IDENTITY,
                {"_id", "subject"}),
    "CareTeam": (lambda: Family.objects.all(), "id", Category.TEAM, {"_id", "subject"}),
    "RelatedPerson": (lambda: NetworkMember.objects.all(), "family_id", Category.TEAM, {"_id", "subject"}),
    "PractitionerRole": (lambda: CareTeamMember.objects.select_related("professional__user", "organisation"),
                         "family_id", Category.TEAM, {"_id", "subject"}),
    "Goal": (lambda: Goal.objects.filter(version__status=PlanVersion.Status.AGREED)
             .select_related("version__plan"), "version__plan__family_id", Category.PLAN, {"_id", "subject"}),
}


def _family_resources(kind: str, rows: list) -> list[dict]:
    if kind == "Group":
        members = {}
        for m in Membership.objects.filter(family__in=rows).order_by("started_on", "id"):
            members.setdefault(m.family_id, []).append(m)
        return [resources.group(f, members.get(f.pk, [])) for f in rows]
    if kind == "Patient":  # a child living in two households is one Patient
        return [resources.patient(m.person) for m in {m.person_id: m for m in reversed(rows)}.values()][::-1]
    if kind == "CareTeam":
        team = {}
        for m in (CareTeamMember.objects.filter(family__in=rows).select_related("professional__user", "organisation")
                  .order_by("started_on", "id")):
            team.setdefault(m.family_id, []).append(m)
        return [resources.care_team(f, team.get(f.pk, [])) for f in rows]
    if kind == "RelatedPerson":
        return [resources.related_person(m, None) for m in rows]
    if kind == "PractitionerRole":
        return [resources.practitioner_role(m) for m in rows]
    return _goal_resources(rows)


@selector
def search_family_records(*, actor: Professional, kind: str, params, base: str) -> dict:
    make, family_field, category, allowed = FAMILY_SEARCHES[kind]
    unknown_parameters(params, allowed)
    qs = make().filter(**{f"{family_field}__in": rules.visible_families(actor).values("id")})
    if kind == "Patient" and "_id" in params:  # a Patient's id is the person's, not the membership's
        qs = qs.filter(person_id__in=search.id_values(params["_id"]))
    elif "_id" in params:
        qs = qs.filter(pk__in=search.id_values(params["_id"]))
    if "subject" in params:
        qs = qs.filter(**{f"{family_field}__in": search.reference_ids(params["subject"], "Group", "subject")})
    if kind == "Patient":
        qs = qs.filter(ended_on__isnull=True)
    rows, marks = search.page(qs, params)
    families = [_family_of(kind, row) for row in rows]
    # Consent decides per family what a team member sees beyond the basics.
    visible = {}
    for family_id in set(families):
        try:
            access = rules.family_access(actor, family_id, "family.read")
            visible[family_id] = rules.category_visible(access, category)[0]
        except DomainError:
            visible[family_id] = False
    kept = [row for row, family_id in zip(rows, families) if visible[family_id]]
    record_many(actor, f"fhir.{kind.lower()}.search", families=[_family_of(kind, r) for r in kept],
                object_type=kind, category=category, reason=params.urlencode()[:500])
    return search.bundle(base, params, _family_resources(kind, kept), marks)


def _family_of(kind: str, row) -> int:
    if kind in ("Group", "CareTeam"):
        return row.pk
    if kind == "Goal":
        return row.version.plan.family_id
    return row.family_id
