// The class as a whole: statuses, the score distribution, what went wrong where grading did not finish, and how
// long grading took (per worker, for a batch graded through the queue).
import { STATUSES, type ScoreDocument, countStatuses } from "../grade/score-document.js";
import { histogram, niceWidth } from "./bins.js";
import { commonMessages } from "./message-counts.js";
import type { ClassFigures, Problem } from "./report-data.js";
import { mean, quantile, round, sd } from "./stats.js";

const SCORE_BINS = 10;
const TIME_BINS = 20;
const SLOWEST = 10;

export function classFigures(docs: readonly ScoreDocument[]): ClassFigures {
  const statuses = countStatuses(docs);

  const graded = docs.filter((d) => d.status === "graded");
  const maxScore = Math.max(0, ...graded.map((d) => d.maxScore));
  const scores = graded.map((d) => d.score);
  const r = (x: number | null) => (x === null ? null : round(x));

  // staff notes that graded documents carry too (the grading environment) say nothing about what went wrong
  const everywhere = new Set(graded.flatMap((d) => d.staffNotes ?? []));
  const problems: Problem[] = STATUSES.filter((s): s is Problem["status"] => s !== "graded")
    .map((status) => {
      const these = docs.filter((d) => d.status === status);
      const notes = (d: ScoreDocument) => (d.staffNotes ?? []).filter((n) => !everywhere.has(n));
      return { status, students: these.map((d) => d.student), messages: commonMessages(these.map((d) => [...d.messages, ...notes(d)])) };
    })
    .filter((p) => p.students.length > 0);

  const timed = docs.filter((d) => d.timing !== undefined).map((d) => ({ student: d.student, ms: d.timing!.durationMs, worker: d.grader.worker }));
  const times = timed.map((t) => t.ms);
  const maxMs = times.length ? Math.max(...times) : null;
  const width = niceWidth(maxMs ?? 0, TIME_BINS);
  const timeBins = Math.max(1, Math.ceil((maxMs ?? 0) / width));
  const workers = new Map<string, number[]>();
  for (const t of timed) {
    if (t.worker === undefined) continue;
    const times = workers.get(t.worker);
    if (times) times.push(t.ms);
    else workers.set(t.worker, [t.ms]);
  }

  return {
    statuses,
    score: {
      graded: graded.length,
      maxScore,
      mean: r(mean(scores)),
      median: r(quantile(scores, 0.5)),
      sd: r(sd(scores)),
      min: scores.length ? Math.min(...scores) : null,
      max: scores.length ? Math.max(...scores) : null,
      histogram: histogram(scores, 0, maxScore || 1, SCORE_BINS),
    },
    problems,
    time: {
      measured: timed.length,
      medianMs: r(quantile(times, 0.5)),
      p90Ms: r(quantile(times, 0.9)),
      maxMs,
      histogram: maxMs === null ? [] : histogram(times, 0, width * timeBins, timeBins),
      slowest: [...timed].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST).map(({ student, ms }) => ({ student, ms })),
      byWorker: [...workers].sort(([a], [b]) => a.localeCompare(b)).map(([worker, ms]) => ({ worker, count: ms.length, medianMs: round(quantile(ms, 0.5)!) })),
    },
  };
}
