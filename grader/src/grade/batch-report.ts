// What `courseware grade` prints at the end: one screen with every student's result, the score distribution, the
// submissions that need a look (by status) and the notes for the staff (which students never see).
import type { ManifestChange } from "./manifest.js";
import { type SummaryDocument, noteCounts } from "./score-document.js";

const BUCKETS = 5;
/** The screen lists this many staff notes; summary.json has them all. */
const MAX_NOTES = 20;

const CHANGE_WORDS: Record<ManifestChange, string> = { tests: "the tests or the notebook", model: "the model", grader: "the grader or its packages", sandbox: "the sandbox" };

export function batchReport(summary: SummaryDocument, outDir: string, reused: number, regraded?: Record<ManifestChange, number>): string {
  const lines = [`${summary.assignment}: ${summary.count} submissions graded into ${outDir}/${reused ? ` (${reused} kept from the last run: same file, same manifest)` : ""}`];
  const why = Object.entries(regraded ?? {}).filter(([, n]) => n > 0).map(([c, n]) => `${n} because ${CHANGE_WORDS[c as ManifestChange]} changed`);
  if (why.length) lines.push(`  graded again, though the file was the same: ${why.join(", ")}`);
  const width = Math.min(24, Math.max(8, ...summary.results.map((r) => r.student.length)));
  for (const r of summary.results) lines.push(`  ${r.student.padEnd(width)} ${r.status.padEnd(8)} ${r.score} / ${r.maxScore}`);

  const graded = summary.results.filter((r) => r.status === "graded" && r.maxScore > 0);
  if (graded.length) {
    const counts = new Array<number>(BUCKETS).fill(0);
    for (const r of graded) counts[Math.min(BUCKETS - 1, Math.floor((r.score / r.maxScore) * BUCKETS))]! += 1;
    const most = Math.max(...counts);
    lines.push("", "  score distribution (graded submissions, share of the maximum):");
    counts.forEach((n, i) => {
      const range = `${(i * 100) / BUCKETS}–${((i + 1) * 100) / BUCKETS}%`.padStart(9);
      lines.push(`  ${range} ${"█".repeat(Math.round((n / most) * 30)).padEnd(30)} ${n}`);
    });
  }
  lines.push("", `  ${Object.entries(summary.byStatus).map(([s, n]) => `${s} ${n}`).join(", ")}`);
  const problems = summary.results.filter((r) => r.status !== "graded");
  if (problems.length) lines.push(`  to look at: ${problems.map((r) => `${r.student} (${r.status})`).join(", ")}`);
  // the notes several students share are in summary.staffNotes already, once each with their count
  const counts = noteCounts(summary.results.map((r) => r.staffNotes));
  const own = summary.results.flatMap((r) => (r.staffNotes ?? []).filter((n) => counts.get(n) === 1).map((n) => `${r.student}: ${n}`));
  const notes = [...(summary.staffNotes ?? []), ...own];
  if (notes.length) lines.push("", "  notes for the staff (not shown to students):", ...notes.slice(0, MAX_NOTES).map((n) => `  - ${n}`));
  if (notes.length > MAX_NOTES) lines.push(`  - ... and ${notes.length - MAX_NOTES} more in ${outDir}/summary.json`);
  return lines.join("\n");
}
