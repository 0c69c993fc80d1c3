// The report's charts as Vega-Lite specs, drawn to inline SVG by the library's vega (no script in the page).
import { type TopLevelSpec, vegaLiteToSvg } from "@courseware/lib";
import type { Bin, ClassFigures, ManualStatus, QuestionFigures } from "./report-data.js";

const BAR = "#4c78a8";
const FLAG = "#e45756";

function binned(bins: readonly Bin[], title: string, xTitle: string, scale = 1): TopLevelSpec {
  return {
    title,
    width: 420,
    height: 160,
    data: { values: bins.map((b) => ({ from: b.from / scale, to: b.to / scale, count: b.count })) },
    mark: { type: "bar", color: BAR, binSpacing: 1 },
    encoding: {
      x: { field: "from", type: "quantitative", bin: { binned: true }, title: xTitle },
      x2: { field: "to" },
      y: { field: "count", type: "quantitative", title: "submissions", axis: { tickMinStep: 1 } },
      tooltip: [{ field: "from", title: "from" }, { field: "to", title: "to" }, { field: "count", title: "submissions" }],
    },
  } as TopLevelSpec;
}

function statuses(figures: ClassFigures): TopLevelSpec {
  return {
    title: "Statuses",
    width: 300,
    height: { step: 22 },
    data: { values: Object.entries(figures.statuses).map(([status, count]) => ({ status, count })) },
    mark: { type: "bar", color: BAR },
    encoding: {
      y: { field: "status", type: "nominal", sort: null, title: null },
      x: { field: "count", type: "quantitative", title: "submissions", axis: { tickMinStep: 1 } },
      tooltip: [{ field: "status" }, { field: "count", title: "submissions" }],
    },
  } as TopLevelSpec;
}

function distribution(q: QuestionFigures): TopLevelSpec {
  return {
    title: `${q.id}: points (of ${q.maxScore})`,
    width: { step: 26 },
    height: 120,
    data: { values: q.distribution },
    mark: { type: "bar", color: BAR },
    encoding: {
      x: { field: "score", type: "ordinal", title: "points", axis: { labelAngle: 0 } },
      y: { field: "count", type: "quantitative", title: "students", axis: { tickMinStep: 1 } },
      tooltip: [{ field: "score", title: "points" }, { field: "count", title: "students" }],
    },
  } as TopLevelSpec;
}

function passShares(questions: readonly QuestionFigures[]): TopLevelSpec {
  const values = questions.flatMap((q) => q.tests.map((t) => ({ test: `${q.id}: ${t.name}`, share: t.passShare, flagged: t.flags.length > 0 ? "flagged" : "ok" })));
  return {
    title: "Share of students passing each test",
    width: 360,
    height: { step: 18 },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "test", type: "nominal", sort: null, title: null, axis: { labelLimit: 420 } },
      x: { field: "share", type: "quantitative", scale: { domain: [0, 1] }, axis: { format: "%" }, title: "passing" },
      color: { field: "flagged", type: "nominal", scale: { domain: ["ok", "flagged"], range: [BAR, FLAG] }, legend: null },
      tooltip: [{ field: "test" }, { field: "share", format: ".0%", title: "passing" }],
    },
  } as TopLevelSpec;
}

function manual(status: readonly ManualStatus[]): TopLevelSpec {
  const values = status.flatMap((m) => [
    { question: m.id, state: "graded", count: m.graded },
    { question: m.id, state: "waiting for a person", count: m.pending },
  ]);
  return {
    title: "Free-text answers",
    width: 300,
    height: { step: 22 },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "question", type: "nominal", sort: null, title: null },
      x: { field: "count", type: "quantitative", stack: "zero", title: "answers", axis: { tickMinStep: 1 } },
      color: { field: "state", type: "nominal", scale: { domain: ["graded", "waiting for a person"], range: [BAR, "#f2a93b"] }, title: null },
      tooltip: [{ field: "question" }, { field: "state" }, { field: "count", title: "answers" }],
    },
  } as TopLevelSpec;
}

export interface Charts {
  scores: string;
  statuses: string;
  time: string | null;
  questions: Map<string, string>;
  tests: string | null;
  manual: string | null;
}

export async function drawCharts(figures: ClassFigures, questions: readonly QuestionFigures[], status: readonly ManualStatus[]): Promise<Charts> {
  const t = figures.time;
  const [scores, states, time, tests, free, ...perQuestion] = await Promise.all([
    vegaLiteToSvg(binned(figures.score.histogram, "Scores of the graded submissions", `points (of ${figures.score.maxScore})`)),
    vegaLiteToSvg(statuses(figures)),
    t.histogram.length ? vegaLiteToSvg(binned(t.histogram, "Grading time per submission", "seconds", 1000)) : null,
    questions.some((q) => q.tests.length) ? vegaLiteToSvg(passShares(questions)) : null,
    status.length ? vegaLiteToSvg(manual(status)) : null,
    ...questions.map((q) => vegaLiteToSvg(distribution(q))),
  ]);
  return { scores: scores!, statuses: states!, time, questions: new Map(questions.map((q, i) => [q.id, perQuestion[i]!])), tests, manual: free };
}
