"""The life-domain vocabulary of the directory and referrals: the plan's LifeDomain list, with
each domain's data category taken from the shipped family life domains instrument."""
import functools

from oneplan.assessments.loader import DEFAULTS, parse
from oneplan.plans.domains import LifeDomain


@functools.lru_cache(maxsize=1)
def _categories() -> dict[str, str]:
    data = parse((DEFAULTS / "family-life-domains.yaml").read_text(), source="family-life-domains.yaml")
    return {d["key"]: d["category"] for d in data["domains"]}


def choices() -> list[tuple[str, str]]:
    return list(LifeDomain.choices)


def names() -> dict[str, str]:
    return {key: str(label) for key, label in LifeDomain.choices}


def category_of(key: str) -> str | None:
    """The data category a score in this domain belongs to (finance, health, safety...)."""
    return _categories().get(key)
