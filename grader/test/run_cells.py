"""Runs a notebook cell by cell in a real Jupyter kernel and prints, as JSON, which cells failed and their output.

Used by the notebook tests: `jupyter nbconvert --execute` cannot show which later cells fail, because tslab
cancels requests that arrive within 200 ms of an error; here each failing cell is followed by a short pause.
With QUIET_SECONDS, the outputs a kernel sends after it has reported the cell done are collected too, until it
has been quiet that long: Deno's kernel sometimes sends a cell's output after its "idle" status, which
nbclient (and so `nbconvert --execute`) drops. Smallest case found, on deno 2.9.6: a cell that is only
`for (let i = 0; i < 8; i++) console.log(`line ${i}`);` -- the kernel publishes "idle" before most of the
eight stream messages (nbconvert kept 0, 4, 4, 3, 8 and 4 of the 8 lines of six such cells in one run).
Usage: /usr/bin/python3 run_cells.py NOTEBOOK KERNEL_NAME [QUIET_SECONDS]  (the notebook's folder is the working
directory).
"""
import json
import os
import queue
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import run_sync

path, kernel = sys.argv[1], sys.argv[2]
quiet = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
OUTPUTS = {"stream", "display_data", "update_display_data", "execute_result", "error"}
nb = nbformat.read(path, as_version=4)
client = NotebookClient(nb, kernel_name=kernel, timeout=180, resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})


def late_outputs(cell, index):
    """Adds to the cell the outputs that arrive after its idle status, until the kernel is quiet for `quiet` s."""
    late = 0
    while True:
        try:
            msg = run_sync(client.kc.get_iopub_msg)(timeout=quiet)
        except queue.Empty:
            return late
        if msg["msg_type"] in OUTPUTS and msg["parent_header"].get("msg_type") == "execute_request":
            late += 1
            try:
                client.process_message(msg, cell, index)
            except CellExecutionComplete:
                pass


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
        late = late_outputs(cell, index) if quiet > 0 else 0
        failed = failed or any(o.get("output_type") == "error" for o in cell.outputs)
        text = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        results.append({
            "index": index,
            "gradeId": cell.metadata.get("nbgrader", {}).get("grade_id"),
            "failed": failed,
            "stderr": "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr"),
            "error": "".join(f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs if o.get("output_type") == "error"),
            "text": text,
            "mime": sorted({k for o in cell.outputs for k in o.get("data", {})}),
            "late": late,
        })
print(json.dumps(results))
