// The subset of nbformat 4 and nbgrader's cell metadata (schema version 3) that the courseware reads and writes.

export interface NbgraderMetadata {
  grade_id: string;
  solution: boolean;
  grade: boolean;
  locked: boolean;
  points?: number;
  schema_version: 3;
  task?: boolean;
}

/** Courseware's own cell metadata, next to nbgrader's. */
export interface CoursewareMetadata {
  /** Question a test cell belongs to (score documents report per question). */
  question?: string;
  /** Variables the tests read from the student's kernel after the notebook ran. */
  answers?: string[];
  /** Hidden tests never reach the release notebook. */
  hidden?: boolean;
  /** A reference cell runs in the grader, never in the sandbox, and computes values tests compare with. */
  role?: "reference";
}

export interface CellMetadata {
  nbgrader?: NbgraderMetadata;
  courseware?: CoursewareMetadata;
  [key: string]: unknown;
}

export interface BaseCell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  metadata: CellMetadata;
  source: string | string[];
}

export interface CodeCell extends BaseCell {
  cell_type: "code";
  execution_count: number | null;
  outputs: unknown[];
}

export interface MarkdownCell extends BaseCell {
  cell_type: "markdown" | "raw";
  attachments?: Record<string, unknown>;
}

export type Cell = CodeCell | MarkdownCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

export function sourceOf(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** Jupyter stores source as a list of lines, each keeping its newline. */
export function toSourceLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n").map((line) => line + "\n");
  const last = lines.length - 1;
  lines[last] = lines[last]!.slice(0, -1);
  if (lines[last] === "") lines.pop();
  return lines;
}

export function gradeIdOf(cell: Cell): string | undefined {
  return cell.metadata.nbgrader?.grade_id;
}

export function isSolutionCell(cell: Cell): boolean {
  return cell.metadata.nbgrader?.solution === true;
}

export function isTestCell(cell: Cell): boolean {
  const nb = cell.metadata.nbgrader;
  return cell.cell_type === "code" && nb?.grade === true && nb.solution !== true;
}

export function isReferenceCell(cell: Cell): boolean {
  return cell.metadata.courseware?.role === "reference";
}
