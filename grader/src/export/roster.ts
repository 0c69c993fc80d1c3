// A roster maps the grader's student ids (from file names or Gradescope metadata) to the ids an LMS knows: the
// Canvas user or SIS id, Moodle's ID number, the LTI user id (`sub`) of each student. It is a CSV file:
//   student,lms_id,name
//   1234,8f2c9a61-...,Jane Doe
// `student` and `lms_id` are required columns, `name` is optional (Canvas's Student column). With a roster, the
// exports use each document's LMS id; documents of students the roster does not list are left out (a wrong id
// would give the points to nobody, or to someone else) and named in a note.
import { CsvError, parseCsv } from "../csv/csv.js";
import type { ScoreDocument } from "../grade/score-document.js";
import { ExportError } from "./common.js";

export interface RosterEntry {
  lmsId: string;
  name?: string;
}

/** Grader student id → the student in the LMS. */
export type Roster = Map<string, RosterEntry>;

export function parseRoster(text: string, source: string): Roster {
  let records;
  try {
    records = parseCsv(text).filter((r) => r.fields.some((f) => f.trim() !== ""));
  } catch (e) {
    throw new ExportError(`${source}: ${(e as CsvError).message}`);
  }
  const header = records.shift()?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const col = (name: string) => header.indexOf(name);
  const [student, lmsId, name] = [col("student"), col("lms_id"), col("name")];
  if (student < 0 || lmsId < 0) throw new ExportError(`${source} needs the columns "student" and "lms_id" in its first row (it has ${header.map((h) => `"${h}"`).join(", ") || "none"}).`);
  const roster: Roster = new Map();
  const owners = new Map<string, string>();
  for (const r of records) {
    const [id, lms, full] = [r.fields[student]?.trim() ?? "", r.fields[lmsId]?.trim() ?? "", name < 0 ? "" : (r.fields[name]?.trim() ?? "")];
    if (!id || !lms) throw new ExportError(`${source}, line ${r.line}: "student" and "lms_id" must both be filled in.`);
    if (roster.has(id)) throw new ExportError(`${source}, line ${r.line}: the student ${JSON.stringify(id)} is listed twice.`);
    const other = owners.get(lms);
    if (other !== undefined) throw new ExportError(`${source}, line ${r.line}: the LMS id ${JSON.stringify(lms)} is given to both ${JSON.stringify(other)} and ${JSON.stringify(id)}.`);
    owners.set(lms, id);
    roster.set(id, { lmsId: lms, ...(full && { name: full }) });
  }
  return roster;
}

const list = (ids: string[]) => (ids.length > 10 ? `${ids.slice(0, 10).join(", ")} and ${ids.length - 10} more` : ids.join(", "));

/** The documents under their LMS ids (names beside them), and notes on who was left out or has no document. */
export function applyRoster(docs: ScoreDocument[], roster: Roster): { docs: ScoreDocument[]; names: Map<string, string>; notes: string[] } {
  const mapped: ScoreDocument[] = [];
  const names = new Map<string, string>();
  const unlisted: string[] = [];
  for (const d of docs) {
    const entry = roster.get(d.student);
    if (!entry) {
      unlisted.push(d.student);
      continue;
    }
    mapped.push({ ...d, student: entry.lmsId, identity: { kind: "lms-id", ...((entry.name ?? d.identity?.name) !== undefined && { name: (entry.name ?? d.identity?.name)! }) } });
    if (entry.name) names.set(entry.lmsId, entry.name);
  }
  const graded = new Set(docs.map((d) => d.student));
  const missing = [...roster.keys()].filter((id) => !graded.has(id)).sort();
  const notes: string[] = [];
  if (unlisted.length) notes.push(`${unlisted.length} score documents are for students the roster does not list and were not exported: ${list(unlisted.sort())}.`);
  if (missing.length) notes.push(`${missing.length} students in the roster have no score document: ${list(missing)}.`);
  return { docs: mapped, names, notes };
}
