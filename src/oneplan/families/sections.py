"""The notes section of the family file."""
from oneplan.families.forms import NoteForm
from oneplan.families.notes import notes_withheld, readable_notes


def notes_section(request, file) -> dict:

    return {"notes": readable_notes(file.access), "withheld": notes_withheld(file.access),
            "note_form": NoteForm(members=file.members),
            "can_edit": file.access.can("family.edit")}
