"""The subject access export as a family reads it: plain headings, labels in words, yes/no,
dates in the reader's language and professionals as "Name (Organisation)".

Reads the export that subject.subject_export builds (the same data as the JSON download);
every key of every row must have a label here (tests/access/test_subject_page.py checks).
"""
import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from oneplan.access.subject import Coded, Moment
from oneplan.audit.models import Outcome

EMPTY = "—"


def shown(value) -> str:
    """One value in words: codes as their label, dates in the reader's format, Yes/No."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Moment):
        when = value.value
        if isinstance(when, dt.datetime):
            return formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")
        return formats.date_format(when, "DATE_FORMAT")
    if isinstance(value, Coded):
        return str(value.label)
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    return str(value)


def _who(name, organisation) -> str:
    name = shown(name)
    return f"{name} ({organisation})" if organisation else name


def _out_of_five(score) -> str:
    return EMPTY if score is None else _("%(score)s out of 5") % {"score": score}


def _allowed(outcome) -> str:
    return _("Yes") if outcome == Outcome.ALLOWED else _("No, refused")


def _about(about_this_person, family_wide) -> str:
    if about_this_person:
        return _("You")
    return _("The whole family") if family_wide else _("Someone else in the household")


@dataclass(frozen=True)
class Field:
    label: str
    keys: tuple
    show: object = None

    def value(self, row: dict) -> str:
        values = [row.get(key) for key in self.keys]
        return self.show(*values) if self.show else shown(values[0])


def field(label, *keys, show=None) -> Field:
    return Field(label, keys, show)


FAMILY = field(_l("Family file"), "family")

PERSON = [field(_l("First name"), "given_name"), field(_l("Surname"), "family_name"),
          field(_l("Date of birth"), "date_of_birth"),
          field(_l("Citizen service number (BSN)"), "national_id"),
          field(_l("Phone"), "phone"), field(_l("E-mail"), "email"),
          field(_l("In oneplan since"), "registered")]

# JSON section title: (heading, what the section is, "table" or "cards", fields)
PAGE = {
    "Households": (_l("Your household"), _l("The households oneplan has you in."), "table", [
        FAMILY, field(_l("Household"), "family_name"), field(_l("You are"), "relation"),
        field(_l("Since"), "from"), field(_l("Until"), "until")]),
    "Notes about this person": (_l("Notes written about you"), _l(
        "What professionals wrote down about you, and who may read it."), "cards", [
        field(_l("Written on"), "date"), field(_l("Written by"), "author", "organisation", show=_who),
        field(_l("Kind of information"), "category"), field(_l("Who may read it"), "visibility"),
        field(_l("What they wrote"), "text")]),
    "Consents": (_l("What you agreed to share"), _l(
        "Your consents: which information the professionals may share, with whom and for what. "
        "Consents for the whole family are listed too when they cover you."), "cards", [
        field(_l("About"), "about_this_person", "family_wide", show=_about),
        field(_l("Given by you"), "given_by_this_person"), field(_l("Shared with"), "organisation"),
        field(_l("Information"), "categories"), field(_l("Purpose"), "purpose"),
        field(_l("Valid from"), "from"), field(_l("Valid until"), "until"),
        field(_l("Withdrawn on"), "withdrawn"), FAMILY]),
    "Goals": (_l("Your plan and goals"), _l("The goals in your family's plan that are about you."), "cards", [
        field(_l("In your own words"), "in_own_words"), field(_l("Life area"), "domain"),
        field(_l("Status"), "status"), field(_l("Plan version"), "plan_version"), FAMILY]),
    "Plan agreements": (_l("Plans you agreed to"), _l("Each version of the plan you agreed to."), "table", [
        field(_l("Plan version"), "version"), field(_l("Agreed on"), "agreed_on"),
        field(_l("How you agreed"), "how"), FAMILY]),
    "Actions": (_l("Things you said you would do"), _l("Actions in the plan that you do."), "table", [
        field(_l("What"), "what"), field(_l("Before"), "due"), field(_l("Status"), "status"), FAMILY]),
    "Reviews attended": (_l("Plan reviews you took part in"), _l(
        "Meetings where the plan was looked at again."), "cards", [
        field(_l("Held on"), "held_on"), field(_l("What was decided"), "decisions"), FAMILY]),
    "Assessment scores": (_l("How things were going"), _l(
        "Scores from 1 (serious problems) to 5 (going well), from you and from the professionals."), "cards", [
        field(_l("Date"), "date"), field(_l("Questionnaire"), "instrument"), field(_l("Life area"), "domain"),
        field(_l("Your score"), "family_score", show=_out_of_five),
        field(_l("Professional's score"), "professional_score", show=_out_of_five),
        field(_l("In your own words"), "in_own_words"), field(_l("What goes well"), "strengths"),
        field(_l("Worries"), "concerns"), field(_l("Worry about safety"), "safety_concern"), FAMILY]),
    "Family portal": (_l("Your family portal account"), _l(
        "Your account for the family portal and invitations to it."), "table", [
        field(_l("What"), "kind"), field(_l("User name"), "user_name"), field(_l("Since"), "since")]),
    "Feedback given": (_l("Feedback you gave"), _l("What you told the team about its work."), "cards", [
        field(_l("Date"), "date"), field(_l("Rating"), "rating", show=_out_of_five),
        field(_l("Comment"), "comment"), FAMILY]),
    "Progress notes on goals": (_l("What you wrote about your goals"), _l(
        "Your own notes on how your goals are going."), "cards", [
        field(_l("Date"), "date"), field(_l("What you wrote"), "text"), FAMILY]),
    "Reference index signals": (_l("Organisations that registered they work with you"), _l(
        "The reference index tells organisations that work with the same person about each other."), "table", [
        field(_l("Organisation"), "organisation"), field(_l("Found by"), "matched_on"),
        field(_l("Registered on"), "registered"), field(_l("Ends on"), "expires"),
        field(_l("Ended on"), "ended")]),
    "Referrals": (_l("Referrals"), _l("Where the team referred you for help, and what it shared."), "cards", [
        field(_l("Service"), "service"), field(_l("Organisation"), "organisation"),
        field(_l("Question"), "question"), field(_l("Information shared"), "shared"),
        field(_l("Status"), "status"), field(_l("Sent on"), "sent"),
        field(_l("Referral number"), "number"), FAMILY]),
    "Requests for help": (_l("Requests for help"), _l(
        "Requests for help at the front door that were about you, and what came of them."), "cards", [
        field(_l("Received on"), "received"), field(_l("Who asked"), "asker"),
        field(_l("How"), "channel"), field(_l("What was going on"), "story"),
        field(_l("Outcome"), "outcome"), field(_l("Outcome on"), "outcome_at"),
        field(_l("Reference"), "reference")]),
    "Study exports": (_l("Study exports"), _l(
        "Evaluation studies your family's file was part of, pseudonymised: the study never received "
        "names, only a code that no other study shares."), "cards", [
        field(_l("When"), "when"), field(_l("Study"), "study"), field(_l("Who received it"), "recipient"),
        field(_l("Purpose"), "purpose")]),
    "Who accessed this person's file": (_l("Who looked at your file"), _l(
        "Every time someone opened or changed your information, including refused attempts."), "table", [
        field(_l("When"), "when"), field(_l("Who"), "who", "organisation", show=_who),
        field(_l("What"), "action"), field(_l("Information"), "category"),
        field(_l("Allowed"), "outcome", show=_allowed)]),
}


def unlabelled(export: dict) -> set[str]:
    """Keys in the export the page has no label for ("section: key")."""
    missing = {f"person: {key}" for key in export["person"]} - {f"person: {f.keys[0]}" for f in PERSON}
    for section in export["sections"]:
        spec = PAGE.get(section["title"])
        known = {key for f in spec[3] for key in f.keys} if spec else set()
        missing |= {f"{section['title']}: {key}" for row in section["rows"] for key in row
                    if key not in known}
    return missing


def unfilled(export: dict) -> set[str]:
    """Labels the page shows that no row of their section has a value for ("section: key")."""
    missing = set()
    for section in export["sections"]:
        spec = PAGE.get(section["title"])
        for row in section["rows"] if spec else []:
            missing |= {f"{section['title']}: {key}" for f in spec[3] for key in f.keys if key not in row}
    return missing


def subject_page(export: dict) -> dict:
    """The export as headed sections of labelled values, ready for the template."""
    sections = []
    for section in export["sections"]:
        heading, intro, layout, fields = PAGE[section["title"]]
        sections.append({"heading": heading, "intro": intro, "layout": layout,
                         "labels": [f.label for f in fields],
                         "rows": [[(f.label, f.value(row)) for f in fields] for row in section["rows"]]})
    person = export["person"]
    return {"name": f"{person['given_name']} {person['family_name']}",
            "person": [(f.label, f.value(person)) for f in PERSON], "sections": sections}
