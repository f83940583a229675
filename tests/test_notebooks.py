"""Every notebook in notebooks/ runs top to bottom, and is committed without outputs.

The notebooks run in a real ipykernel started with this interpreter (the venv's), so they see
the installed newsgraph and the ``notebook`` extra.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook extra is not installed: pip install -e '.[notebook]'")
nbclient = pytest.importorskip("nbclient", reason="the notebook extra is not installed: pip install -e '.[notebook]'")
pytest.importorskip("ipykernel", reason="the notebook extra is not installed: pip install -e '.[notebook]'")

from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 300


def test_there_is_a_notebook():
    assert ROOT / "notebooks" / "explore.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: clear the outputs of cells {dirty} before committing"


def _kernel_manager() -> KernelManager:
    # No kernel folders: only ipykernel's own spec, which launches sys.executable, so a python3
    # kernel installed elsewhere on the machine cannot take its place.
    specs = KernelSpecManager(kernel_dirs=[])
    manager = KernelManager(kernel_name=NATIVE_KERNEL_NAME, kernel_spec_manager=specs)
    assert manager.kernel_spec.argv[0] in {sys.executable, "python", "python3"}
    return manager


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSGRAPH_NOTEBOOK_OUT", str(tmp_path / "out"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        km=_kernel_manager(),
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    if path.name == "explore.ipynb":
        assert (tmp_path / "out" / "graph.ttl").is_file() and (tmp_path / "out" / "graph.html").is_file()
        shown = [o for o in outputs if o.output_type in {"display_data", "execute_result"}]
        assert sum("image/png" in o.data for o in shown) >= 3, "the three plots were not drawn"
        assert any("<iframe srcdoc=" in o.data.get("text/html", "") for o in shown), "the network is not embedded"
        printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
        assert "same answers from both engines: True" in printed, "pyoxigraph and rdflib disagree on a query"
        assert "no chain:" not in printed, "the fact chain between the two example entities was not found"
        # The notebook says what the build summary, `kg stats` and the page say (tests/test_stats.py
        # checks those three agree on corpus/).
        from kg.formats import read_graph
        from kg.stats import compute_stats, format_stats

        line = format_stats(compute_stats(read_graph(tmp_path / "out" / "graph.ttl"))).splitlines()[0]
        assert f"{line}\n" in printed
        assert f'<p id="summary">{line}</p>' in (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
