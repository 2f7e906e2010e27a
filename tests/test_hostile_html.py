"""Hostile texts from the data or a scenario never run in the HTML outputs.

Each text of the corpus (``tests/hostile/texts.json``) goes in at once as a node name, a place
name, an edge source, a scenario's source, name and notes, and the texts of
``story.csv`` (title, unit, notes, place name, source publisher), and every map is
built from it: network, route and story maps, online and offline, ``route_html`` and
``Route._repr_html_``. Rendering must not raise, the text must show as typed (HTML-
escaped, as JSON inside scripts), a Jinja payload must not evaluate and a shell
payload must not create its file. The same input must give the same bytes.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from hostile import RAN_FILE, Hostile, load_hostile, one_line
from jinja2.utils import htmlsafe_json_dumps
from maphelpers import small_graph
from maphelpers.pages import NETWORK, OUTPUTS, ROUTES, STORY, all_pages, digests, outputs

from corridor import maps
from corridor.analysis.scenario_io import apply_scenario, parse_scenario
from corridor.data import data_dir
from corridor.maps import story
from corridor.maps.html import esc

CASES = load_hostile()
STORY_FILES = ("story.csv", "sources.csv", "places.csv", "volumes.csv")
STORY_FACT = "trade_turnover"  # a panel figure: its title and unit show in the panel
STORY_PLACE = "astana"  # a story marker: its name shows in the marker's tooltip


def shown(page: str, text: str) -> bool:
    """Whether ``text`` is in ``page`` as it shows: escaped HTML, or that HTML as JSON."""
    escaped = esc(text)
    return escaped in page or htmlsafe_json_dumps(escaped)[1:-1] in page


def _story_folder(folder: Path) -> Path:
    for name in STORY_FILES:
        shutil.copy(data_dir() / name, folder / name)
    return folder


def _rewrite_csv(path: Path, edit: Callable[[dict[str, str]], None]) -> None:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        edit(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _joined_sources(text: str) -> str:
    """How a route leg shows a source cell: its ';'-separated parts, once each, joined by '; '."""
    return "; ".join(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))


# ---------------------------------------------------------------- what goes where
def _story_texts(folder: Path, text: str) -> None:
    """``text`` as the title, unit and notes of a fact, a place's name, a source's publisher."""
    _story_folder(folder)
    cited: list[str] = []

    def fact(row: dict[str, str]) -> None:
        if row["id"] == STORY_FACT:
            row.update(title=text, unit=text, notes=text)
            cited.append(row["source"].split(";")[0])

    _rewrite_csv(folder / "story.csv", fact)
    _rewrite_csv(folder / "places.csv",
                 lambda row: row.update(name=text) if row["id"] == STORY_PLACE else None)
    _rewrite_csv(folder / "sources.csv",
                 lambda row: row.update(publisher=text) if row["id"] in cited else None)


def _scenario(text: str) -> str:
    """A scenario whose name, notes and source hold ``text``, on Altynkol's links."""
    return (
        f"name = {json.dumps('scenario ' + text)}\n"
        "[[set]]\n"
        'nodes = ["altynkol"]\n'
        f"notes = {json.dumps('scenario ' + text)}\n"
        f"source = {json.dumps('estimate:scenario ' + text)}\n"
    )


def hostile_graph(text: str, folder: Path) -> tuple[nx.MultiDiGraph, dict[str, list[str]]]:
    """The small corridor with ``text`` in every field, tagged by field; and, by output,
    the texts it must show as typed.

    Fields: a node name (the route's start), a place name (Aktau's two nodes share
    its marker), every edge's source, a scenario's name, notes and source (applied),
    and the story's CSV texts (read from ``folder``). Cells read from files are stripped.
    """
    G = small_graph()
    G.nodes["altynkol"]["name"] = "node " + text
    G.graph["places"]["aktau"]["name"] = "place " + text
    for _u, _v, d in G.edges(data=True):
        d["source"] = "edge " + text
    G = apply_scenario(G, parse_scenario(_scenario(text)))
    story_text = one_line("story " + text)  # a CSV cell holds no line break
    _story_texts(folder, story_text)
    G.graph["data_folder"] = str(folder)
    cell = G.edges["altynkol", "aktau_rail", "road_altynkol_aktau"]["source"]  # edge;scenario
    expected: dict[str, list[str]] = {name: ["node " + text] for name in OUTPUTS}
    for name in NETWORK:
        expected[name] += ["place " + text, cell]
    for name in ROUTES:  # the first leg is that road
        expected[name].append(_joined_sources(cell))
    for name in STORY:
        expected[name].append(story_text.strip())
    return G, expected


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_text_shows_literally_and_never_runs(
    case: Hostile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)  # where a quote-free shell payload would create RAN_FILE
    ran = tmp_path / "payload-ran"
    case = case.with_touch(ran)
    G, expected = hostile_graph(case.text, tmp_path)
    assert G.graph["scenario"] == ("scenario " + case.text).strip()
    pages = outputs(G)
    assert not ran.exists() and not (tmp_path / RAN_FILE).exists(), "a shell payload ran"
    for name, page in pages.items():  # (no `in` in asserts: pytest would diff whole pages)
        ran_as_template = case.evaluated is not None and case.evaluated in page
        assert not ran_as_template, f"{name}: the text ran as a template"
        for text in expected[name]:
            assert shown(page, text), f"{name}: {text[:40]!r}… is not shown as typed"


def test_jinja_payload_never_evaluates_in_the_story_panel(tmp_path: Path):
    """The panel holds the text as escaped HTML: braces as entities, no 49 in place of 7*7."""
    G = small_graph()
    G.graph["data_folder"] = str(tmp_path)
    _story_texts(tmp_path, "Trade {{7*7}}")
    page = story.story_map(G).get_root().render()
    panel = page[page.index('id="corridor-story-panel"') :]
    as_typed, evaluated = "Trade &#123;&#123;7*7&#125;&#125;" in panel, "Trade 49" in page
    assert as_typed and not evaluated


def test_tiles_with_jinja_are_refused():
    graph = small_graph()
    with pytest.raises(ValueError, match="tiles"):
        maps.network_map(graph, tiles="https://t.example/{{7*7}}/{z}/{x}/{y}.png")
    page = maps.network_map(graph, tiles="OpenStreetMap").get_root().render()
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in page  # single braces are fine


# ---------------------------------------------------------------- same bytes
SAME_BYTES = "import json, maphelpers.pages as p; print(json.dumps(p.digests(p.all_pages())))"


def test_same_input_same_bytes_in_one_process():
    first, second = digests(all_pages()), digests(all_pages())
    assert list(first) == list(OUTPUTS)
    assert first == second


def test_same_input_same_bytes_in_two_processes():
    runs = [
        subprocess.run(
            [sys.executable, "-c", SAME_BYTES], cwd=Path(__file__).parent,
            capture_output=True, text=True, check=True,
        ).stdout
        for _ in range(2)
    ]
    assert json.loads(runs[0]) == json.loads(runs[1]) == digests(all_pages())  # and here
