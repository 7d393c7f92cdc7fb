"""Reference index pages: register, renew and end signals; see and settle matches."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from oneplan.core.errors import DomainError
from oneplan.core.pagination import paginate
from oneplan.core.web import form_error, professional_required
from oneplan.signals import linkage, selectors, services
from oneplan.signals.forms import AcknowledgeForm, SignalForm
from oneplan.signals.selectors import STATES


def _announce(request, signal) -> None:
    messages.success(request, _(
        "Registered as signal %(number)s. Write this number in your own client record: the "
        "reference index keeps no names.") % {"number": signal.number})
    if getattr(signal, "possible_matches", None):
        messages.warning(request, ngettext(
            "A registration of another organisation may be the same person: the name is spelt a "
            "little differently or one part of the date of birth differs. Check it under "
            "Possible matches; they hear of it only if you confirm.",
            "%(n)d registrations of other organisations may be the same person: the name is spelt "
            "a little differently or one part of the date of birth differs. Check them under "
            "Possible matches; they hear of it only if you confirm.",
            len(signal.possible_matches)) % {"n": len(signal.possible_matches)})
    if signal.new_matches:
        messages.info(request, ngettext(
            "Another organisation is involved with this person. Their contact details are in "
            "your inbox.",
            "%(n)d other organisations are involved with this person. Their contact details are "
            "in your inbox.", len(signal.new_matches)) % {"n": len(signal.new_matches)})


@professional_required
def index(request):
    actor = request.professional
    organisations = list(actor.organisations.all())
    form = SignalForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signal = services.signal_register(
                actor=actor, national_id=data["national_id"], given_name=data["given_name"],
                family_name=data["family_name"], date_of_birth=data["date_of_birth"],
                organisation=data.get("organisation") or None)
        except DomainError as error:
            form_error(form, error)
        else:
            _announce(request, signal)
            return redirect("signals:index")
    state = request.GET.get("state", "active")
    state = state if state in STATES else "active"
    page = paginate(selectors.organisation_signals(actor=actor, state=state), request.GET.get("page"))
    matches = list(selectors.organisation_matches(actor=actor)[:10])
    possible = list(selectors.possible_matches(actor=actor)[:20])
    org_ids = {o.pk for o in organisations}
    for match in matches:
        match.mine, match.other = match.own_and_other(org_ids)
    return render(request, "signals/index.html", {
        "form": form, "page": page, "state": state, "matches": matches, "possible": possible,
        "states": [("active", _("Active")), ("ended", _("Ended or expired")), ("all", _("All"))],
    }, status=400 if request.method == "POST" else 200)


@require_POST
@professional_required
def renew(request, signal_id):
    try:
        signal = services.signal_renew(actor=request.professional, signal_id=signal_id)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Signal %(number)s now runs until %(day)s.")
                         % {"number": signal.number, "day": date_format(signal.expires_on)})
    return redirect("signals:index")


@require_POST
@professional_required
def end(request, signal_id):
    try:
        signal = services.signal_end(actor=request.professional, signal_id=signal_id)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Signal %(number)s ended: it no longer matches.")
                         % {"number": signal.number})
    return redirect("signals:index")


SIMILARITY_WORDS = [(linkage.NAME_SAME, gettext_lazy("the same")),
                    (linkage.NAME_CLOSE, gettext_lazy("very similar")),
                    (linkage.NAME_SIMILAR, gettext_lazy("similar")), (0.0, gettext_lazy("different"))]
DATE_WORDS = {linkage.DOB_SAME: gettext_lazy("the same"),
              linkage.DOB_ONE_PART: gettext_lazy("one part differs (day, month or year)"),
              linkage.DOB_OTHER: gettext_lazy("different")}


def _evidence_rows(match) -> list[tuple[str, str]]:
    """The keyed comparison in words: all the checker learns about the other registration."""
    evidence = match.evidence or {}

    def word(value):
        return next(text for floor, text in SIMILARITY_WORDS if (value or 0) >= floor)

    rows = [(_("Given name"), word(evidence.get("given"))),
            (_("Family name"), word(evidence.get("family"))),
            (_("Date of birth"), DATE_WORDS.get(evidence.get("dob"), DATE_WORDS[linkage.DOB_OTHER]))]
    if evidence.get("swapped"):
        rows.append((_("Order"), _("given name and family name are swapped")))
    return rows


@professional_required
def match(request, match_id):
    actor = request.professional
    found = selectors.match_detail(actor=actor, match_id=match_id)
    if found.state != found.State.MATCHED:
        mine = found.second
        return render(request, "signals/possible.html", {
            "match": found, "mine": mine, "evidence": _evidence_rows(found)})
    form = AcknowledgeForm(request.POST or None, match=found) if not found.acknowledged_at else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.match_acknowledge(actor=actor, match_id=found.pk,
                                       coordinator_id=form.cleaned_data["coordinator"],
                                       note=form.cleaned_data["note"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Agreement recorded. The other professional is told."))
            return redirect("signals:match", match_id=found.pk)
    mine, other = found.own_and_other(found.my_organisation_ids)
    return render(request, "signals/match.html", {
        "match": found, "mine": mine, "other": other, "contact": services.contact_of(other),
        "matched_on": services.matched_on(found),
        "i_registered_first": mine.pk == found.first_id, "form": form,
    }, status=400 if request.method == "POST" else 200)


@require_POST
@professional_required
def match_decide(request, match_id, decision):
    decide = services.match_confirm if decision == "confirm" else services.match_reject
    try:
        decide(actor=request.professional, match_id=match_id)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        if decision == "confirm":
            messages.success(request, _("Confirmed as the same person. You and the other "
                                        "professional now have each other's contact details."))
        else:
            messages.success(request, _("Marked as not the same person. Nobody was told anything."))
    return redirect("signals:match", match_id=match_id)


@require_POST
@professional_required
def register_person(request, family_id, person_id):
    try:
        signal = services.signal_register_person(actor=request.professional, family_id=family_id,
                                                 person_id=person_id)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        _announce(request, signal)
    return redirect("families:file", family_id=family_id)
