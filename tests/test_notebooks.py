"""The notebooks in ``notebooks/``: stored without outputs, and they run top to bottom.

Each notebook is executed with nbclient in a fresh ``python3`` kernel (the one of this
Python, from ipykernel), from the ``notebooks/`` folder, with a time limit per cell. A
cell that raises fails the test, and so does anything written to stderr by the code
(a warning, a traceback). matplotlib draws with the inline backend (no display needed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
EXPECTED = ["01_quickstart", "02_planner", "03_scenarios", "04_story"]
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT_S = 120


def _read(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def test_the_four_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    import nbformat

    nb = _read(path)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    for cell in code:
        assert cell.outputs == [], f"cell {cell.get('id')} of {path.name} has outputs"
        assert cell.execution_count is None, f"cell {cell.get('id')} of {path.name} ran"


def test_no_figures_typed_into_the_story_notebook():
    """The story's figures come from data/story.csv and volumes.csv, never from a cell."""
    nb = _read(NOTEBOOK_DIR / "04_story.ipynb")
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for figure in ("598.47", "102.2", "205.2", "182", "0.586", "2.7", "4.5", "5.2"):
        assert figure not in source


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, monkeypatch):
    from nbclient import NotebookClient

    # quiet, headless kernel: no deprecation notice about Jupyter's folders, no GUI backend
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.delenv("DISPLAY", raising=False)
    nb = _read(path)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()  # raises CellExecutionError naming the cell that failed
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            assert out.output_type != "error", out
            if out.output_type == "stream" and out.name == "stderr":
                pytest.fail(f"{path.name}, cell {cell.get('id')} wrote to stderr:\n{out.text}")
