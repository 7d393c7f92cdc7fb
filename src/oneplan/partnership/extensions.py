"""Where other apps add to the partnership page without the partnership app knowing them.

The insights app (key indicators) and any later one register a panel in their AppConfig.ready(),
with `extensions.register_panel("insights", "insights/_partnership_panel.html", panel_context,
order=10)` (this module: `oneplan.partnership.extensions`).

`panel_context(request, partnership)` returns the template's context, or None to show nothing (for
example to a reader who may not see the figures). Panels appear on the partnership page in order,
under the heading "Key figures", after the vision and before the agreements.
"""
from dataclasses import dataclass
from typing import Callable

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable
    order: int = 50


_panels: dict[str, Panel] = {}


def register_panel(name: str, template: str, context: Callable, order: int = 50) -> None:
    _panels[name] = Panel(name, template, context, order)


def unregister_panel(name: str) -> None:
    _panels.pop(name, None)


def render_panels(request, partnership) -> list[str]:
    html = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request, partnership)
        if context is not None:
            html.append(render_to_string(panel.template, {"partnership": partnership, **context},
                                         request=request))
    return html
