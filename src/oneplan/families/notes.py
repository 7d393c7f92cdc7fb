"""Notes on the family file: written in a data category, read according to their visibility."""
from django.db.models import Q

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.errors import InvalidInput
from oneplan.core.layers import service
from oneplan.families import guard
from oneplan.families.categories import Category
from oneplan.families.models import Note

NOTE_CATEGORIES = [c for c in Category.values if c not in (Category.IDENTITY, Category.TEAM)]


@service
def note_add(*, actor: Professional, family_id: int, text: str, category: str = Category.NOTES,
             visibility: str = Note.Visibility.TEAM, about_id: int | None = None) -> Note:
    access = guard.family_access(actor, family_id, "family.edit")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write the note.", field="text")
    if len(text) > 5000:
        raise InvalidInput("A note is at most 5000 characters.", field="text")
    if category not in NOTE_CATEGORIES:
        raise InvalidInput("Choose the note's data category.", field="category")
    if visibility not in Note.Visibility.values:
        raise InvalidInput("Choose who may read the note.", field="visibility")
    if about_id and not access.family.memberships.filter(person_id=about_id, ended_on__isnull=True).exists():
        raise InvalidInput("A note can be about a member of this household only.", field="about")
    # Writing in a category needs the same consent as reading it.
    guard.require_category(access, category, "note.add", person_id=about_id)
    note = Note.objects.create(family=access.family, author=actor, organisation=access.organisation,
                               category=category, visibility=visibility, about_id=about_id, text=text)
    record(actor, "note.add", note, family=access.family, person=about_id, category=category)
    return note


def readable_notes(access) -> list[Note]:
    """Notes this team member may read: by visibility, then by the category's consent."""
    me, org = access.professional, access.organisation
    qs = (Note.objects.filter(family=access.family)
          .filter(Q(visibility__in=[Note.Visibility.TEAM, Note.Visibility.FAMILY])
                  | Q(visibility=Note.Visibility.ORGANISATION, organisation=org)
                  | Q(visibility=Note.Visibility.PRIVATE, author=me))
          .select_related("author__user", "organisation", "about"))
    if access.membership is None:
        return []
    return [n for n in qs if guard.category_visible(access, n.category, n.about_id)[0]]


def notes_withheld(access) -> dict[str, int]:
    """{why: how many} of the notes the team could read but for the family's consent."""
    qs = (Note.objects.filter(family=access.family)
          .filter(visibility__in=[Note.Visibility.TEAM, Note.Visibility.FAMILY])
          .values_list("category", "about_id"))
    withheld: dict[str, int] = {}
    for category, about_id in qs:
        visible, reason = guard.category_visible(access, category, about_id)
        if not visible:
            withheld[reason] = withheld.get(reason, 0) + 1
    return withheld
