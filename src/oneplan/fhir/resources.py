"""oneplan's own records as FHIR R4 resources (plain dicts, JSON as sent).

The referral is a ServiceRequest (what is asked, for whom, of which organisation) with a Task
that tracks its fulfilment, per the HL7 SDOH Clinical Care guide (standards/sdohcc-ig:
SDOHCC-ServiceRequest and SDOHCC-TaskForReferralManagement). Both carry the referral's id, so
Task/45 and ServiceRequest/45 are one referral. The family (household) is Group/<family id>.
"""
import datetime as dt

from django.utils import translation

from oneplan.accounts.models import Organisation
from oneplan.plans.domains import LifeDomain
from oneplan.referrals.models import Referral, Urgency
from oneplan.referrals.workflow import Status, fhir_task_status

IG = "http://hl7.org/fhir/us/sdoh-clinicalcare"
TASK_PROFILE = f"{IG}/StructureDefinition/SDOHCC-TaskForReferralManagement"
SERVICE_REQUEST_PROFILE = f"{IG}/StructureDefinition/SDOHCC-ServiceRequest"
SDOHCC_CODES = f"{IG}/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
TASK_CODES = "http://hl7.org/fhir/CodeSystem/task-code"
# oneplan's own code systems (a URN: they are not published elsewhere).
REFERRAL_STATUS_SYSTEM = "urn:oneplan:referral-status"
LIFE_DOMAIN_SYSTEM = "urn:oneplan:life-domain"
DECLINE_REASON_SYSTEM = "urn:oneplan:decline-reason"

# Request priority (R4 request-priority: routine | urgent | asap | stat).
PRIORITY = {Urgency.ROUTINE: "routine", Urgency.SOON: "urgent", Urgency.URGENT: "asap"}

# Life domains that are one of the guide's SDOH categories (SDOHCCValueSetSDOHCategory); the
# others are `sdoh-category-unspecified`, and every need also carries oneplan's own code.
SDOH_CATEGORY = {
    LifeDomain.FINANCES: ("financial-insecurity", "Financial Insecurity"),
    LifeDomain.INCOME_WORK: ("employment-status", "Employment Status"),
    LifeDomain.HOUSING: ("housing-instability", "Housing Instability"),
    LifeDomain.SOCIAL_NETWORK: ("social-connection", "Social Connection"),
    LifeDomain.COMMUNITY: ("social-connection", "Social Connection"),
    LifeDomain.JUSTICE: ("incarceration-status", "Incarceration Status"),
}
UNSPECIFIED = ("sdoh-category-unspecified", "SDOH Category Unspecified")

# ServiceRequest.status (R4 request-status) for the referral's status: the requester's view.
SERVICE_REQUEST_STATUS = {
    Status.DRAFT: "draft", Status.COMPLETED: "completed",
    Status.DECLINED: "revoked", Status.CANCELLED: "revoked",
}
# Task statuses for which the guide requires statusReason.text.
REASON_REQUIRED = frozenset({"rejected", "cancelled", "on-hold", "failed"})


def instant(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def with_telecom(resource: dict, *, use: str = "", **points) -> dict:
    """`resource` with its contact points (phone=..., email=..., url=...), the empty ones left out."""
    telecom = [{"system": system, "value": value, **({"use": use} if use else {})}
               for system, value in points.items() if value]
    if telecom:
        resource["telecom"] = telecom
    return resource


def organisation_reference(organisation: Organisation) -> dict:
    return {"reference": f"Organization/{organisation.pk}", "display": organisation.name}


def _english(label) -> str:
    with translation.override("en"):
        return str(label)


def task(referral: Referral, *, ended_from: str | None = None, reason: str = "") -> dict:
    """The referral's Task. `ended_from`: the status the receiving side cancelled it from (then
    it is `failed`); `reason`: the words of the last step that needs a statusReason."""
    status = fhir_task_status(referral.status, ended_by_receiver_from=ended_from)
    resource = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "meta": {"versionId": str(referral.version), "lastUpdated": instant(referral.status_changed_at),
                 "profile": [TASK_PROFILE]},
        "identifier": [{"system": "urn:oneplan:referral", "value": referral.number}],
        "status": status,
        "businessStatus": {"coding": [{"system": REFERRAL_STATUS_SYSTEM, "code": referral.status,
                                       "display": _english(Status(referral.status).label)}],
                           "text": _english(Status(referral.status).label)},
        "intent": "order",
        "priority": PRIORITY[referral.urgency],
        "code": {"coding": [{"system": TASK_CODES, "code": "fulfill", "display": "Fulfill the focal request"}]},
        "focus": {"reference": f"ServiceRequest/{referral.pk}"},
        "for": {"reference": f"Group/{referral.family_id}"},
        "authoredOn": instant(referral.created_at),
        "lastModified": instant(referral.status_changed_at),
        "requester": organisation_reference(referral.referrer_organisation),
        "owner": organisation_reference(referral.organisation),
    }
    if status in REASON_REQUIRED:
        reason_element = {"text": reason or _english(Status(referral.status).label)}
        if referral.status == Status.DECLINED and referral.decline_reason:
            reason_element["coding"] = [{"system": DECLINE_REASON_SYSTEM, "code": referral.decline_reason}]
        resource["statusReason"] = reason_element
    return resource


def _categories(referral: Referral) -> list[dict]:
    categories, seen = [], set()
    for need in referral.needs or []:
        code, display = SDOH_CATEGORY.get(need, UNSPECIFIED)
        codings = [{"system": LIFE_DOMAIN_SYSTEM, "code": need,
                    "display": _english(LifeDomain(need).label) if need in LifeDomain.values else need}]
        if code not in seen:
            seen.add(code)
            codings.insert(0, {"system": SDOHCC_CODES, "code": code, "display": display})
        categories.append({"coding": codings})
    return categories


def service_request(referral: Referral) -> dict:
    """What is asked: the service, the family, the organisations, the question."""
    resource = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": {"versionId": str(referral.version), "lastUpdated": instant(referral.status_changed_at),
                 "profile": [SERVICE_REQUEST_PROFILE]},
        "identifier": [{"system": "urn:oneplan:referral", "value": referral.number}],
        "status": SERVICE_REQUEST_STATUS.get(referral.status, "active"),
        "intent": "order",
        "priority": PRIORITY[referral.urgency],
        "code": {"coding": [{"system": "urn:oneplan:service", "code": str(referral.service_id),
                             "display": referral.service.name}],
                 "text": referral.service.name},
        "subject": {"reference": f"Group/{referral.family_id}"},
        "authoredOn": instant(referral.created_at),
        "requester": organisation_reference(referral.referrer_organisation),
        "performer": [organisation_reference(referral.organisation)],
        "note": [{"text": referral.question}],
    }
    categories = _categories(referral)
    if categories:
        resource["category"] = categories
    return resource


def organization(organisation: Organisation) -> dict:
    resource = {"resourceType": "Organization", "id": str(organisation.pk), "active": True,
                "name": organisation.name}
    return with_telecom(resource, phone=organisation.phone, email=organisation.email, url=organisation.website)


# --- the family: Group, Patient; its plan: CarePlan, Goal ----------------------------------------

def group(family, memberships: list) -> dict:
    """The household: its members (as Patients) with the period they live in it."""
    members = []
    for m in memberships:
        entry = {"entity": {"reference": f"Patient/{m.person_id}"}, "period": {"start": m.started_on.isoformat()}}
        if m.ended_on:
            entry["period"]["end"] = m.ended_on.isoformat()
            entry["inactive"] = True
        members.append(entry)
    resource = {"resourceType": "Group", "id": str(family.pk),
                "meta": {"lastUpdated": instant(family.updated_at)},
                "identifier": [{"system": "urn:oneplan:family", "value": family.reference}],
                "active": family.closed_on is None, "type": "person", "actual": True,
                "name": family.name, "quantity": sum(1 for m in memberships if not m.ended_on)}
    if members:
        resource["member"] = members
    return resource


def patient(person) -> dict:
    """A person of a household: name, birth date and contact details; never the BSN."""
    resource = {"resourceType": "Patient", "id": str(person.pk), "active": person.erased_at is None,
                "name": [{"family": person.family_name, "given": [person.given_name]}],
                "birthDate": person.date_of_birth.isoformat()}
    return with_telecom(resource, phone=person.phone, email=person.email)


GOAL_LIFECYCLE = {"active": "active", "achieved": "completed", "stopped": "cancelled"}
# A GAS level as R4 goal-achievement: at or above the expected outcome is achieved.
GAS_ACHIEVEMENT = {2: "achieved", 1: "achieved", 0: "achieved", -1: "improving", -2: "no-progress"}
GAS_LEVELS = ((-2, "level_minus2"), (-1, "level_minus1"), (0, "level_0"), (1, "level_plus1"),
              (2, "level_plus2"))


def goal(item, family_id: int, person_ids: list[int], latest_level: int | None) -> dict:
    """A goal in the family's own words, its five Goal Attainment Scaling levels as targets, and
    the level reached at the latest review."""
    subject = (f"Patient/{person_ids[0]}" if len(person_ids) == 1 else f"Group/{family_id}")
    code, display = SDOH_CATEGORY.get(item.domain, UNSPECIFIED)
    resource = {
        "resourceType": "Goal", "id": str(item.pk),
        "lifecycleStatus": GOAL_LIFECYCLE.get(item.status, "active"),
        "category": [{"coding": [
            {"system": SDOHCC_CODES, "code": code, "display": display},
            {"system": LIFE_DOMAIN_SYSTEM, "code": item.domain,
             "display": _english(LifeDomain(item.domain).label) if item.domain in LifeDomain.values else item.domain}]}],
        "priority": {"text": str(item.priority)},
        "description": {"text": item.family_words},
        "subject": {"reference": subject},
        "target": [{"measure": {"text": f"Goal Attainment Scaling level {level:+d}" if level else
                                "Goal Attainment Scaling level 0 (expected outcome)"},
                    "detailString": getattr(item, field)} for level, field in GAS_LEVELS],
    }
    if item.target_date:
        resource["target"][2]["dueDate"] = item.target_date.isoformat()
    if latest_level is not None:
        resource["achievementStatus"] = {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/goal-achievement",
                        "code": GAS_ACHIEVEMENT[latest_level]}],
            "text": f"Goal Attainment Scaling level {latest_level:+d} at the latest review"}
    return resource


def care_plan(version, *, status: str, goal_ids: list[int], actions: list) -> dict:
    """An agreed plan version: what the family wants to be different, its goals, who does what."""
    resource = {
        "resourceType": "CarePlan", "id": str(version.pk),
        "meta": {"versionId": str(version.lock_version), "lastUpdated": instant(version.updated_at)},
        "identifier": [{"system": "urn:oneplan:plan-version", "value": f"{version.plan.family_id}-{version.number}"}],
        "status": status, "intent": "plan",
        "title": f"Plan version {version.number}",
        "subject": {"reference": f"Group/{version.plan.family_id}"},
        "period": {"start": version.agreed_on.isoformat()},
        "created": instant(version.created_at),
    }
    if version.vision:
        resource["description"] = version.vision
    if version.recorded_by_id:
        resource["author"] = {"display": version.recorded_by.name}
    if version.based_on_id:
        resource["replaces"] = [{"reference": f"CarePlan/{version.based_on_id}"}]
    if goal_ids:
        resource["goal"] = [{"reference": f"Goal/{g}"} for g in goal_ids]
    activities = []
    for action in actions:
        detail = {"status": "completed" if action.status == "done" else "not-started"
                  if action.status == "open" else "cancelled",
                  "description": action.what}
        if action.due_on:
            detail["scheduledString"] = action.due_on.isoformat()
        who = action.professional or action.network_member or action.person
        if who is not None:
            detail["performer"] = [{"display": getattr(who, "name", None) or str(who)}]
        activities.append({"detail": detail})
    if activities:
        resource["activity"] = activities
    return resource


# --- the team and the network: CareTeam, Practitioner, RelatedPerson ------------------------------

def practitioner(professional) -> dict:
    user = professional.user
    resource = {"resourceType": "Practitioner", "id": str(professional.pk), "active": user.is_active,
                "name": [{"text": professional.name, **({"family": user.last_name} if user.last_name else {}),
                          **({"given": [user.first_name]} if user.first_name else {})}]}
    return with_telecom(resource, use="work", phone=professional.phone, email=user.email)


def care_team(family, members: list) -> dict:
    """The family's care team: who, for which organisation, in which role, since when."""
    participants = []
    for m in members:
        entry = {"role": [{"coding": [{"system": "urn:oneplan:care-team-role", "code": m.role}],
                           "text": _english(m.get_role_display())}],
                 "member": {"reference": f"Practitioner/{m.professional_id}", "display": m.professional.name},
                 "onBehalfOf": organisation_reference(m.organisation),
                 "period": {"start": m.started_on.isoformat()}}
        if m.ended_on:
            entry["period"]["end"] = m.ended_on.isoformat()
        participants.append(entry)
    resource = {"resourceType": "CareTeam", "id": str(family.pk),
                "status": "inactive" if family.closed_on else "active",
                "name": f"Care team {family.reference}", "subject": {"reference": f"Group/{family.pk}"}}
    if participants:
        resource["participant"] = participants
    return resource


def related_person(member, patient_id: int | None) -> dict:
    """Someone of the family's informal network (a grandmother, a neighbour)."""
    resource = {"resourceType": "RelatedPerson", "id": str(member.pk), "active": member.ended_on is None,
                "patient": {"reference": f"Patient/{patient_id}"} if patient_id else {"display": "the household"},
                "relationship": [{"coding": [{"system": "urn:oneplan:network-relation", "code": member.relation}],
                                  "text": _english(member.get_relation_display())}],
                "name": [{"text": member.name}],
                "period": {"start": member.started_on.isoformat(),
                           **({"end": member.ended_on.isoformat()} if member.ended_on else {})}}
    return with_telecom(resource, phone=member.phone)


# --- consent and scores: Consent, Observation -------------------------------------------------------

def consent(item, given_by: list[int]) -> dict:
    """A consent per organisation and data category, with its period and who gave it."""
    today = dt.date.today()
    expired = item.valid_until is not None and item.valid_until < today
    status = "inactive" if item.withdrawn_at or expired else "active"
    provision = {"type": "permit", "period": {"start": item.valid_from.isoformat(),
                                              **({"end": item.valid_until.isoformat()} if item.valid_until else {})},
                 "purpose": [{"system": "urn:oneplan:consent-purpose", "code": item.purpose}],
                 "code": [{"coding": [{"system": "urn:oneplan:data-category", "code": c}]} for c in item.categories]}
    if item.organisation_id:
        provision["actor"] = [{"role": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP",
            "display": "information recipient"}]}, "reference": organisation_reference(item.organisation)}]
    resource = {
        "resourceType": "Consent", "id": str(item.pk), "status": status,
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                              "code": "patient-privacy", "display": "Privacy Consent"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]}],
        "dateTime": instant(item.recorded_at),
        "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                   "code": "OPTIN", "display": "opt-in"}]},
        "provision": provision,
    }
    if item.subject_id:
        resource["patient"] = {"reference": f"Patient/{item.subject_id}"}
    if given_by:
        resource["performer"] = [{"reference": f"Patient/{p}"} for p in given_by]
    return resource


def observations(score, assessment, domain: dict | None, family_id: int) -> list[dict]:
    """A domain score of an assessment as up to two Observations: the professional's and the
    family's own score (ids `<score>-professional`, `<score>-family`)."""
    name = (domain or {}).get("name") or score.domain_key
    code = {"coding": [{"system": f"urn:oneplan:instrument:{assessment.instrument.key}",
                        "code": score.domain_key, "display": name}], "text": name}
    subject = {"reference": f"Patient/{score.person_id}" if score.person_id else f"Group/{family_id}"}
    found = []
    for who, value in (("professional", score.professional_score), ("family", score.family_score)):
        if value is None:
            continue
        resource = {
            "resourceType": "Observation", "id": f"{score.pk}-{who}",
            "status": "final" if assessment.status == "completed" else "preliminary",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": "survey", "display": "Survey"}]}],
            "code": code, "subject": subject, "effectiveDateTime": assessment.held_on.isoformat(),
            "valueInteger": value,
            "method": {"coding": [{"system": "urn:oneplan:score-by", "code": who}],
                       "text": "the professional's score" if who == "professional" else "the family's own score"},
        }
        if who == "professional":
            resource["performer"] = [{"reference": f"Practitioner/{assessment.created_by_id}"}]
        else:
            resource["performer"] = [subject]
        found.append(resource)
    return found


def healthcare_service(service) -> dict:
    """A service of the directory (its HSDS record is at /hsds/services/<id>)."""
    resource = {"resourceType": "HealthcareService", "id": str(service.pk),
                "active": service.status == "active", "providedBy": organisation_reference(service.organisation),
                "name": service.name, "comment": service.description[:1000]}
    with_telecom(resource, phone=service.phone, email=service.email, url=service.url)
    if service.eligibility_description:
        resource["eligibility"] = [{"comment": service.eligibility_description}]
    resource["referralMethod"] = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/service-referral-method",
                                               "code": "elec", "display": "Secure Messaging"}]}] \
        if service.accepts_referrals else []
    if not resource["referralMethod"]:
        resource.pop("referralMethod")
    return resource


def practitioner_role(member) -> dict:
    """A professional's place on one family's care team: for which organisation, in which role."""
    resource = {"resourceType": "PractitionerRole", "id": str(member.pk), "active": member.ended_on is None,
                "period": {"start": member.started_on.isoformat(),
                           **({"end": member.ended_on.isoformat()} if member.ended_on else {})},
                "practitioner": {"reference": f"Practitioner/{member.professional_id}",
                                 "display": member.professional.name},
                "organization": organisation_reference(member.organisation),
                "code": [{"coding": [{"system": "urn:oneplan:care-team-role", "code": member.role}],
                          "text": _english(member.get_role_display())}]}
    return resource
