"""Runs a notebook cell by cell in a real Jupyter kernel and prints, as JSON, which cells failed and their output.

Used by the notebook tests: `jupyter nbconvert --execute` cannot show which later cells fail, because tslab
cancels requests that arrive within 200 ms of an error; here each failing cell is followed by a short pause.
Usage: /usr/bin/python3 run_cells.py NOTEBOOK KERNEL_NAME  (the notebook's folder is the working directory).
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

path, kernel = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
client = NotebookClient(nb, kernel_name=kernel, timeout=180, resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
results = []
with client.setup_kernel():
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        failed = False
        try:
            client.execute_cell(cell, index)
        except CellExecutionError:
            failed = True
            time.sleep(0.5)
        text = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        results.append({
            "index": index,
            "gradeId": cell.metadata.get("nbgrader", {}).get("grade_id"),
            "failed": failed,
            "stderr": "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr"),
            "text": text,
            "mime": sorted({k for o in cell.outputs for k in o.get("data", {})}),
        })
print(json.dumps(results))
