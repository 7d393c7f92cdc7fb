"""Small-multiple SVG line charts of domain scores over time, readable without colour."""
from dataclasses import dataclass

from django.utils.formats import date_format

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 220, 110, 26, 10, 10, 22


@dataclass
class Chart:
    title: str
    width: int
    height: int
    pro_path: str
    fam_path: str
    pro_points: list
    fam_points: list
    grid: list
    labels: list
    table: list


def _x(i, n):
    return PAD_L + (W - PAD_L - PAD_R) * (i / max(n - 1, 1) if n > 1 else 0.5)


def _y(score):
    return PAD_T + (H - PAD_T - PAD_B) * (5 - score) / 4


def chart(series) -> Chart:
    n = len(series.points)
    pro = [(round(_x(i, n), 1), round(_y(p), 1), p) for i, (_, p, _f) in enumerate(series.points) if p]
    fam = [(round(_x(i, n), 1), round(_y(f), 1), f) for i, (_, _p, f) in enumerate(series.points) if f]
    title = series.domain["name"] + (f" — {series.person.given_name}" if series.person else "")
    return Chart(
        title=title, width=W, height=H,
        pro_path=" ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y, _) in enumerate(pro)),
        fam_path=" ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y, _) in enumerate(fam)),
        pro_points=pro, fam_points=fam,
        grid=[(s, round(_y(s), 1)) for s in (1, 2, 3, 4, 5)],
        labels=[(round(_x(i, n), 1), date_format(d, "M y")) for i, (d, _p, _f) in enumerate(series.points)],
        table=series.points,
    )
