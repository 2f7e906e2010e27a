"""The custom folium/branca elements of the maps, each rendering its template once.

branca renders the output of every element's macros a second time, as a new template,
where a name such as ``{{ 7*7 }}`` would run. Here every element renders once
(:class:`RenderOnce`: our own elements are made so, and :func:`finish` makes folium's
so). :func:`finish` also numbers the elements' ids in tree order instead of folium's
random ones, so the same input gives the same bytes.

Tooltips and popups are bound by :class:`Bind`, which passes their (escaped) HTML to
JavaScript as JSON: folium's own ``Tooltip`` and ``Popup`` paste their text into a
JavaScript template literal, where ``${...}`` would run.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any, cast

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

__all__ = ["Bind", "Legend", "RawHead", "RenderOnce", "finish", "render_once_class"]


class RawHead(Element):
    """A piece of the page taken as it is (never a template: Leaflet and data have braces)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RawHead"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RenderOnce(MacroElement):
    """A ``MacroElement`` whose macros' output goes into the page as it is.

    branca's ``MacroElement.render`` makes a new template of that output and renders
    it again, so any text in it (a name, a source) would run as Jinja. The templates
    are constant; text reaches them only as variables.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's own returns None
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                text = str(macro(self, kwargs))
                text = text[:-1] if text.endswith("\n") else text  # as Jinja's second pass did
                getattr(figure, part).add_child(RawHead(text), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


def page(m: Element) -> Figure:
    """The Figure (the HTML page, with header, html and script parts) ``m`` sits in."""
    return cast(Figure, m.get_root())  # a folium Map always sits in a Figure


@cache
def render_once_class(cls: type[MacroElement]) -> type[MacroElement]:
    """``cls`` rendering once: a subclass with :class:`RenderOnce` after it, same name."""
    return type(cls.__name__, (cls, RenderOnce), {"__module__": cls.__module__})


class Bind(RenderOnce):
    """Bind a tooltip and/or popup to the parent layer, passing the HTML as JSON.

    The HTML must be escaped already; JSON in a ``<script>`` via ``tojson`` cannot
    close the script or run a template-literal substitution.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {%- if this.tooltip %}
        {{ this._parent.get_name() }}.bindTooltip({{ this.tooltip|tojson }},
            {{ this.tooltip_options|tojson }});
        {%- endif %}
        {%- if this.popup %}
        {{ this._parent.get_name() }}.bindPopup({{ this.popup|tojson }}, {"maxWidth": 360});
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        *,
        tooltip: str | None = None,
        popup: str | None = None,
        permanent: bool = False,
        direction: str = "auto",
        class_name: str = "",
    ) -> None:
        super().__init__()
        self._name = "Bind"
        self.tooltip = tooltip
        self.popup = popup
        self.tooltip_options: dict[str, Any] = {"sticky": not permanent}
        if permanent:
            self.tooltip_options.update(permanent=True, direction=direction)
        if class_name:
            self.tooltip_options["className"] = class_name


class Legend(RenderOnce):
    """A legend box (a Leaflet control); ``html`` must be escaped already."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "corridor-legend");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html_text


def finish(m: folium.Map) -> folium.Map:
    """Make every element of the page render once, with ids numbered in tree order.

    Rendering once (:class:`RenderOnce`) keeps text out of Jinja; numbered ids instead
    of folium's random ones make the same input render to the same bytes. Returns ``m``.
    """
    counter = itertools.count()

    def visit(element: Element) -> None:
        element._id = f"{next(counter):06x}"
        if isinstance(element, MacroElement) and not isinstance(element, RenderOnce):
            # a class is hashable; mypy looks at the instances' __hash__ (None in branca)
            element.__class__ = render_once_class(type(element))  # type: ignore[arg-type]
        for child in element._children.values():
            visit(child)

    visit(m.get_root())
    return m
