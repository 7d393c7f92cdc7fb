"""The partnership page's key figures: the first indicators of the dashboard the reader may see
(network coordinator, then analyst, then team manager), two periods side by side. Readers
without an insights role see no panel (insights decides, and audits, who sees which figures)."""
from oneplan.insights import selectors as insights

KEY_FIGURES = 6
ORDER = ("network", "analyst", "team")


def panel(request, partnership) -> dict | None:
    actor = getattr(request.user, "professional", None)
    if actor is None:
        return None
    audiences = insights.audiences_of(actor)
    audience = next((a for a in ORDER if a in audiences), None)
    if audience is None:
        return None
    board = insights.dashboard(actor=actor, audience=audience)
    cards = [card for _theme, cards in board.themes for card in cards][:KEY_FIGURES]
    return {"cards": cards, "board": board}
