"""A corpus of hostile texts (``texts.json``) for names, sources and notes, with its loader.

Each text must show literally wherever it is shown, and run nothing: no Jinja, no
HTML or JavaScript, no terminal escape. Payloads that would run JavaScript try to set
``document.title`` to ``'pwned'``; shell payloads would ``touch`` a file: ``@TOUCH@``
(a path given to the loader) or, spelt without quotes (which escaping would break),
:data:`RAN_FILE` in the working folder.

    from hostile import load_hostile
    for case in load_hostile(touch=tmp_path / "ran"): ...
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).with_name("texts.json")
TOUCH = "@TOUCH@"
#: What the quote-free shell payloads create in the working folder if they run.
RAN_FILE = "corridor_hostile_ran"
PWNED_TITLE = "pwned"
#: Where a shell payload points when no file is given: a path that is never there.
NO_FILE = "/nonexistent/corridor-hostile-payload-ran"


@dataclass(frozen=True)
class Hostile:
    """One hostile text; ``evaluated`` is what it becomes if rendered as a Jinja template."""

    id: str
    text: str
    evaluated: str | None = None

    def with_touch(self, path: str | Path) -> Hostile:
        """The same case, its shell payload touching ``path``."""
        raw = self.text.replace(NO_FILE, TOUCH)
        return Hostile(self.id, raw.replace(TOUCH, str(path)), self.evaluated)


def load_hostile(touch: str | Path = NO_FILE) -> list[Hostile]:
    """The corpus, in file order; shell payloads touch ``touch``."""
    doc = json.loads(CORPUS.read_text(encoding="utf-8"))
    return [
        Hostile(row["id"], row["text"].replace(TOUCH, str(touch)), row.get("evaluated"))
        for row in doc["texts"]
    ]


def one_line(text: str) -> str:
    """``text`` with its line breaks as spaces: a data file's cell cannot hold one."""
    return text.replace("\r", " ").replace("\n", " ")
