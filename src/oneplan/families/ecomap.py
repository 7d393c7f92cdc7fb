"""Lays out the informal network as a simple ecomap (SVG coordinates), readable without colour."""
import math
from dataclasses import dataclass

from oneplan.families.models import NetworkMember

LABEL_ROOM, MIN_RADIUS, MAX_RADIUS = 215, 90, 230
# Line style per tie strength; each also has a text label, so colour is never needed.
STROKE = {
    NetworkMember.Strength.STRONG: {"width": 5, "dash": ""},
    NetworkMember.Strength.MODERATE: {"width": 3, "dash": ""},
    NetworkMember.Strength.WEAK: {"width": 2, "dash": "6 6"},
    NetworkMember.Strength.STRESSFUL: {"width": 3, "dash": "2 4 10 4"},
}


@dataclass
class Node:
    member: NetworkMember
    x: float
    y: float
    line_x: float
    line_y: float
    width: int
    dash: str
    anchor: str


def size(count: int) -> tuple[int, int, int]:
    """Width, height and radius for `count` members: small networks are drawn small,
    large ones get the room their labels need (about 110 px of circle per member)."""
    radius = max(MIN_RADIUS, min(MAX_RADIUS, round(18 * count)))
    return round(2 * radius * 1.45 + 2 * LABEL_ROOM), 2 * radius + 110, radius


def layout(members: list[NetworkMember]) -> dict:
    count = max(len(members), 1)
    width, height, radius = size(count)
    cx, cy = width / 2, height / 2
    nodes = []
    for i, member in enumerate(members):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        x, y = cx + radius * 1.45 * math.cos(angle), cy + radius * math.sin(angle)
        style = STROKE.get(member.strength, STROKE[NetworkMember.Strength.MODERATE])
        nodes.append(Node(member, round(x, 1), round(y, 1),
                          round(cx + 0.82 * (x - cx), 1), round(cy + 0.82 * (y - cy), 1),
                          style["width"], style["dash"],
                          "middle" if abs(x - cx) < 40 else ("start" if x > cx else "end")))
    return {"width": width, "height": height, "cx": cx, "cy": cy, "nodes": nodes}
