import { readFile } from "node:fs/promises";
import type { Cell, Notebook } from "./nbformat.js";

export class NotebookFormatError extends Error {
  override name = "NotebookFormatError";
}

/** Parses text as an nbformat 4 notebook, checking the structure the grader relies on. */
export function parseNotebook(text: string, label: string): Notebook {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new NotebookFormatError(`${label} is not a Jupyter notebook: it is not valid JSON (${(e as Error).message}).`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new NotebookFormatError(`${label} is not a Jupyter notebook: expected a JSON object.`);
  }
  const nb = data as Partial<Notebook>;
  if (nb.nbformat !== 4) {
    throw new NotebookFormatError(`${label} is not an nbformat 4 notebook (nbformat is ${JSON.stringify(nb.nbformat)}); save it from Jupyter again.`);
  }
  if (!Array.isArray(nb.cells)) {
    throw new NotebookFormatError(`${label} has no "cells" list.`);
  }
  nb.cells.forEach((cell: Partial<Cell>, i) => {
    const where = `${label}, cell ${i + 1}`;
    if (typeof cell !== "object" || cell === null) throw new NotebookFormatError(`${where} is not an object.`);
    if (!["code", "markdown", "raw"].includes(cell.cell_type as string)) {
      throw new NotebookFormatError(`${where} has an unknown cell_type ${JSON.stringify(cell.cell_type)}.`);
    }
    const src = cell.source;
    if (!(typeof src === "string" || (Array.isArray(src) && src.every((s) => typeof s === "string")))) {
      throw new NotebookFormatError(`${where} has no text source.`);
    }
    if (cell.metadata === undefined) cell.metadata = {};
    if (typeof cell.metadata !== "object" || cell.metadata === null) throw new NotebookFormatError(`${where} has invalid metadata.`);
  });
  return { metadata: {}, nbformat_minor: 5, ...nb } as Notebook;
}

export async function readNotebook(path: string): Promise<Notebook> {
  return parseNotebook(await readFile(path, "utf8"), path);
}

/** Serialises the way Jupyter does (one-space indent, trailing newline), so committed files diff cleanly. */
export function formatNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
}
