"""examples/notebooks/incremental.ipynb executed by nbclient through the installed msense kernel."""
import nbformat
import pytest

nbclient = pytest.importorskip("nbclient")


def test_incremental_notebook_runs_with_inline_figures(root, tmp_path):
    notebook = nbformat.read(root / "examples/notebooks/incremental.ipynb", as_version=4)
    assert notebook.metadata.kernelspec.name == "msense"
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="msense",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for cell in code:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "raises-exception" in cell.metadata.get("tags", []):
            # The one cell that shows an error: located, with the did-you-mean hint.
            assert len(errors) == 1 and errors[0].ename == "MSenseError"
            text = "\n".join(errors[0].traceback)
            assert "In[" in text and "alpah" in text and "alpha" in errors[0].traceback[-1]
        else:
            assert errors == [], cell.source
    pngs = [o for cell in code for o in cell.outputs if o.output_type == "display_data" and "image/png" in o.data]
    assert len(pngs) == 2
    assert any("<polyline" in o.data.get("text/html", "") for cell in code for o in cell.outputs
               if o.output_type == "execute_result")
    printed = "".join(o.text for cell in code for o in cell.outputs if o.output_type == "stream")
    assert printed.count("learned at step") == 3
    last = code[-1].outputs[0]
    assert last.output_type == "execute_result" and last.data["text/plain"].startswith("[")
