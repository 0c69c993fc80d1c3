// Gradescope's "Download Submissions" export: one folder per submission, `submission_<id>/`, and beside them
// `submission_metadata.yml`, which names each submission's submitters (Ruby-style keys):
//   submission_31415:
//     :submitters:
//     - :name: Jane Doe
//       :sid: '1234'
//       :email: jane@example.edu
//     :created_at: 2025-01-31 12:00:00.000000000 -08:00
// A student is named by their student id (`:sid`), or by their email where the course has no student ids.
import { parseDocument } from "yaml";

export interface GradescopeSubmitter {
  id: string;
  /** Whether `id` is the student id (`:sid`) or, for want of one, the email. */
  kind: "gradescope-sid" | "gradescope-email";
  name?: string;
}

export interface GradescopeSubmissionInfo {
  submitters: GradescopeSubmitter[];
  /** `:created_at` as ISO 8601, when it can be read. */
  submittedAt?: string;
}

/** Submission folder name ("submission_31415") → its submitters, in Gradescope's order, and when it was made. */
export type GradescopeRoster = Map<string, GradescopeSubmissionInfo>;

/** Ids become file names (`students/<id>.json`): nothing that could name another path. */
const SAFE_ID = /^[A-Za-z0-9@_+-][A-Za-z0-9@._+-]{0,127}$/;

const field = (o: unknown, key: string): unknown => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[key] : undefined);
const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : typeof v === "number" ? String(v) : undefined);

/**
 * Gradescope writes times as Ruby does, "2025-01-31 12:00:00.000000000 -08:00" (the YAML parser may also have read
 * one as a Date): as ISO 8601 in UTC, or undefined when it is neither.
 */
function rubyTime(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v !== "string") return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return undefined;
  const zone = m[4] === undefined ? "Z" : m[4] === "Z" ? "Z" : `${m[4].slice(0, 3)}:${m[4].slice(-2)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${(m[3] ?? "").slice(0, 4)}${zone}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Reads one `submission_metadata.yml` into `roster`; returns what could not be used, in words. */
export function readGradescopeMetadata(yaml: string, source: string, roster: GradescopeRoster): string[] {
  let doc: unknown;
  try {
    // warnings (such as Ruby's own tags in the parts not read here) are no reason to refuse the file
    const parsed = parseDocument(yaml, { uniqueKeys: false });
    if (parsed.errors.length) throw parsed.errors[0];
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return [`${source} could not be read (${(e as Error).message.split("\n")[0]}); its submissions are named by folder.`];
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [`${source} is not a map of submissions; its submissions are named by folder.`];
  const problems: string[] = [];
  for (const [folder, entry] of Object.entries(doc)) {
    if (!/^submission_\d+$/.test(folder)) continue;
    const submitters: GradescopeSubmitter[] = [];
    const listed = field(entry, ":submitters");
    for (const s of Array.isArray(listed) ? listed : []) {
      const sid = text(field(s, ":sid"));
      const id = sid ?? text(field(s, ":email"));
      const name = text(field(s, ":name"));
      const kind = sid !== undefined ? "gradescope-sid" : "gradescope-email";
      if (id !== undefined && SAFE_ID.test(id)) submitters.push({ id, kind, ...(name !== undefined && { name }) });
      else problems.push(`${source}: a submitter of ${folder} has ${id === undefined ? "no student id or email" : `an id that cannot name a file (${JSON.stringify(id.slice(0, 40))})`}.`);
    }
    const submittedAt = rubyTime(field(entry, ":created_at"));
    if (submitters.length) roster.set(folder, { submitters, ...(submittedAt !== undefined && { submittedAt }) });
  }
  return problems;
}
