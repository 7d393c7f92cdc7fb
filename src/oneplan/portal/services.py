"""Inviting family members to the portal and accepting an invitation."""
import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.access import rules
from oneplan.access.models import Category
from oneplan.accounts.models import Professional, User
from oneplan.audit.services import record
from oneplan.core import email
from oneplan.core.errors import Conflict, InvalidInput, NotFound
from oneplan.core.layers import service
from oneplan.core.web import absolute_url
from oneplan.portal.models import FamilyAccount, Invitation

INVITATION_DAYS = 7
MIN_AGE = 12  # younger children do not get their own account


def invitation_link(token: str) -> str:
    return absolute_url(reverse("portal:accept", args=[token]))


def _send_invitation(invitation: Invitation, token: str, address: str) -> None:
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidInput("This is not an e-mail address.", field="email")
    context = {"name": invitation.person.given_name, "link": invitation_link(token),
               "days": INVITATION_DAYS, "coordinator": invitation.created_by.name}
    email.send(to=address, subject=_("[oneplan] Your invitation to the family portal"),
               text=render_to_string("portal/email/invitation.txt", context),
               html=render_to_string("portal/email/invitation.html", context))


@service
def invitation_create(*, actor: Professional, family_id: int, person_id: int,
                      email_to: str = "") -> tuple[Invitation, str]:
    """The coordinator invites a household member; returns the invitation and its one-time token.

    With `email_to` the link is also e-mailed to the family member (through the outbox)."""
    access = rules.family_access(actor, family_id, "team.manage")
    membership = access.family.memberships.filter(person_id=person_id, ended_on__isnull=True).first()
    if membership is None:
        raise InvalidInput("Invite a member of this household.", field="person")
    person = membership.person
    if person.age < MIN_AGE:
        raise InvalidInput(f"Children under {MIN_AGE} do not get their own portal account.", field="person")
    if FamilyAccount.objects.filter(person=person).exists():
        raise Conflict(f"{person.full_name} has a portal account already.")
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        family=access.family, person=person, token_hash=Invitation.hash(token), created_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS))
    email_to = (email_to or "").strip()
    if email_to:
        _send_invitation(invitation, token, email_to)
    record(actor, "portal.invite", invitation, family=access.family, person=person,
           category=Category.IDENTITY, reason="link sent by e-mail" if email_to else "link shown")
    return invitation, token


def invitation_for(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("person").filter(token_hash=Invitation.hash(token or "")).first()
    if invitation is None:
        raise NotFound("This invitation link is not valid. Ask your coordinator for a new one.")
    if invitation.used_at:
        raise Conflict("This invitation link has been used already. Log in, or ask your coordinator "
                       "for a new link.")
    if invitation.expires_at <= timezone.now():
        raise Conflict("This invitation link has expired (links last 7 days). Ask your coordinator "
                       "for a new one.")
    return invitation


@service
def invitation_accept(*, token: str, username: str, password: str) -> User:
    invitation = invitation_for(token)
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    username = (username or "").strip()
    if not username or len(username) > 150:
        raise InvalidInput("Choose a user name (at most 150 characters).", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("This user name is taken: choose another.", field="username")
    user = User(username=username, kind=User.Kind.FAMILY, first_name=invitation.person.given_name,
                last_name=invitation.person.family_name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password1")
    user.set_password(password)
    user.save()
    FamilyAccount.objects.create(user=user, person=invitation.person)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    record(user, "portal.account.create", invitation, family=invitation.family_id,
           person=invitation.person_id, category=Category.IDENTITY)
    return user
