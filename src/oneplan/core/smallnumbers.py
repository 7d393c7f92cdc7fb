"""Small numbers never identify a family: a count below the threshold is shown as "<N", and
enough other cells are hidden too (secondary suppression) that no total gives it away."""
from django.conf import settings


def threshold() -> int:
    return settings.ONEPLAN.get("SMALL_NUMBER", 10)


def _hide_one_more(values: list[int], hidden: set[int]) -> int | None:
    """In a line (a row or a column with its total shown) with exactly one hidden cell, the
    smallest other non-zero cell, which must be hidden as well."""
    if len(hidden) != 1:
        return None
    others = [(v, i) for i, v in enumerate(values) if i not in hidden and v > 0]
    return min(others)[1] if others else None


def suppress(table: list[list[int]]) -> list[list[int | None]]:
    """The table with every count 1..threshold-1 replaced by None, and then per row and per
    column (whose totals are shown) one more cell where a single hidden cell could be worked
    out from the total. Zero stays zero: it identifies nobody."""
    limit = threshold()
    hidden = {(r, c) for r, row in enumerate(table) for c, v in enumerate(row) if 0 < v < limit}
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in range(len(row))] for r, row in enumerate(table)]
        if table:
            lines += [[(r, c) for r in range(len(table))] for c in range(len(table[0]))]
        for cells in lines:
            values = [table[r][c] for r, c in cells]
            at = _hide_one_more(values, {i for i, cell in enumerate(cells) if cell in hidden})
            if at is not None:
                hidden.add(cells[at])
                changed = True
    return [[None if (r, c) in hidden else v for c, v in enumerate(row)] for r, row in enumerate(table)]


def shown(value: int | None) -> str:
    return f"<{threshold()}" if value is None else str(value)


def one(value: int) -> int | None:
    """A single count on its own (no total beside it)."""
    return None if 0 < value < threshold() else value
