// The last step of a release: the notebook says which assignment it is (metadata.courseware.assignment), so that
// `courseware grade` and `validate` can tell without --assignment, and every cell has an nbformat 4.5 id
// (https://nbformat.readthedocs.io/en/latest/format_description.html#cell-ids: 1 to 64 of [a-zA-Z0-9-_], unique in
// the notebook). Cells keep the ids they have; a cell without a usable one gets its grade_id, else "cell-<n>".
import type { Notebook } from "../notebook/nbformat.js";
import { gradeIdOf } from "../notebook/nbformat.js";

const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/;

export function markRelease(assignment: string): (nb: Notebook) => Notebook {
  return (nb) => {
    const used = new Set<string>();
    const fresh = (wanted: string[]) => {
      for (const w of wanted) if (CELL_ID.test(w) && !used.has(w)) return w;
      let n = used.size;
      while (used.has(`cell-${n}`)) n++;
      return `cell-${n}`;
    };
    const cells = nb.cells.map((cell) => {
      const id = fresh([cell.id ?? "", gradeIdOf(cell) ?? ""]);
      used.add(id);
      return { ...cell, id };
    });
    const courseware = { ...((nb.metadata["courseware"] as Record<string, unknown> | undefined) ?? {}), assignment };
    return { ...nb, nbformat_minor: Math.max(5, nb.nbformat_minor), metadata: { ...nb.metadata, courseware }, cells };
  };
}

/** The assignment a notebook says it belongs to (written by `courseware assign`), if it says one. */
export function assignmentOf(nb: Notebook): string | undefined {
  const meta = nb.metadata["courseware"];
  const name = meta !== null && typeof meta === "object" ? (meta as Record<string, unknown>)["assignment"] : undefined;
  return typeof name === "string" && name !== "" ? name : undefined;
}
