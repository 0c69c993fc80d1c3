// index.html: one self-contained page for the staff. Inline SVG charts, no script, and a Content-Security-Policy
// that forbids loading anything, so the page works from a file, an attachment or a course server alike.
import { escapeHtml as esc } from "@courseware/lib";
import type { Charts } from "./charts.js";
import type { MessageCount } from "./message-counts.js";
import type { Report, TestFigures } from "./report-data.js";
import type { PairView } from "./similarity-section.js";

/** Students listed by name per status in the page; report.json lists them all. */
const LISTED = 50;

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1180px;padding:1rem 1.5rem 4rem;color:#1d1d1f}
h1{font-size:1.6rem;margin:.5rem 0}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{margin:1.4rem 0 .4rem}
nav a{margin-right:1rem}.meta{color:#555}.notes{background:#f6f6f8;border-left:4px solid #888;padding:.5rem 1rem;margin:1rem 0}
.notes.warn{border-color:#e4a030;background:#fff8ea}.charts{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
th{background:#fafafa}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.flagged td{background:#fdecec}
.flag{color:#b3261e;font-weight:600}.hidden{color:#666;font-style:italic;font-size:.85em}.msg{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
.pair{border:1px solid #ddd;border-radius:6px;margin:.6rem 0;padding:.3rem .8rem}.pair summary{cursor:pointer;padding:.3rem 0}
.side{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}.side h4{margin:.3rem 0;font-size:.95rem}
.side pre{background:#f7f7f9;border:1px solid #e5e5e5;padding:.5rem;overflow:auto;max-height:28rem;white-space:pre-wrap;word-break:break-word;font-size:.82rem}
mark{background:#ffe28a}.score{font-weight:600}`;

const num = (x: number | null, digits = 2) => (x === null ? "–" : String(Math.round(x * 10 ** digits) / 10 ** digits));
const pct = (x: number) => `${Math.round(x * 100)}%`;
const secs = (ms: number | null) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);

function messages(list: readonly MessageCount[]): string {
  if (!list.length) return "";
  return `<ul>${list.map((m) => `<li><span class="msg">${esc(m.example)}</span> <span class="meta">(${m.count})</span></li>`).join("")}</ul>`;
}

/** `text` with the given [start, end) ranges in <mark>. */
export function marked(text: string, spans: ReadonlyArray<readonly [number, number]>): string {
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at || end <= start) continue;
    out += esc(text.slice(at, start)) + `<mark>${esc(text.slice(start, end))}</mark>`;
    at = end;
  }
  return out + esc(text.slice(at));
}

function classSection(r: Report, charts: Charts): string {
  const s = r.class.score;
  const t = r.class.time;
  const problems = r.class.problems.map((p) => {
    const names = p.students.slice(0, LISTED).map(esc).join(", ") + (p.students.length > LISTED ? ` and ${p.students.length - LISTED} more (report.json)` : "");
    return `<h3>${esc(p.status)}: ${p.students.length}</h3><p>${names}</p>${p.messages.length ? `<p>Most common messages:</p>${messages(p.messages)}` : ""}`;
  });
  const workers = t.byWorker.length
    ? `<table><tr><th>worker</th><th>submissions</th><th>median time</th></tr>${t.byWorker.map((w) => `<tr><td>${esc(w.worker)}</td><td class="n">${w.count}</td><td class="n">${secs(w.medianMs)}</td></tr>`).join("")}</table>`
    : "";
  return `<section id="class"><h2>The class</h2>
<table><tr><th>graded</th><th>mean</th><th>median</th><th>sd</th><th>min</th><th>max</th><th>of</th></tr>
<tr><td class="n">${s.graded}</td><td class="n">${num(s.mean)}</td><td class="n">${num(s.median)}</td><td class="n">${num(s.sd)}</td><td class="n">${num(s.min)}</td><td class="n">${num(s.max)}</td><td class="n">${s.maxScore}</td></tr></table>
<div class="charts"><figure>${charts.scores}</figure><figure>${charts.statuses}</figure></div>
${problems.length ? `<h3>Not graded to the end</h3>${problems.join("\n")}` : "<p>Every submission was graded to the end.</p>"}
<h3>Grading time</h3><p>${t.measured} submissions timed: median ${secs(t.medianMs)}, 90th percentile ${secs(t.p90Ms)}, slowest ${secs(t.maxMs)}${t.slowest.length ? ` (${t.slowest.slice(0, 3).map((x) => `${esc(x.student)} ${secs(x.ms)}`).join(", ")})` : ""}.</p>
${charts.time ? `<figure>${charts.time}</figure>` : ""}${workers}</section>`;
}

function testRow(t: TestFigures): string {
  return `<tr${t.flags.length ? ' class="flagged"' : ""}><td>${esc(t.name)}${t.hidden ? ' <span class="hidden">hidden</span>' : ""}${t.flags.map((f) => `<br><span class="flag">⚑ ${esc(f)}</span>`).join("")}</td>
<td class="n">${num(t.maxPoints)}</td><td class="n">${t.passed} / ${t.taken} (${pct(t.passShare)})</td><td class="n">${num(t.difficulty)}</td><td class="n">${num(t.discrimination)}</td><td>${messages(t.failures)}</td></tr>`;
}

function questionsSection(r: Report, charts: Charts): string {
  const flagged = r.questions.flatMap((q) => q.tests.filter((t) => t.flags.length).map((t) => `${esc(q.id)}: ${esc(t.name)}`));
  const blocks = r.questions.map((q) => `<h3 id="q-${esc(q.id)}">${esc(q.id)}: mean ${num(q.mean)} of ${q.maxScore} (${q.graded} graded)</h3>
<figure>${charts.questions.get(q.id) ?? ""}</figure>
<table><tr><th>test</th><th>points</th><th>passing</th><th>difficulty</th><th>discrimination</th><th>most common failures</th></tr>${q.tests.map(testRow).join("\n")}</table>`);
  return `<section id="questions"><h2>Questions and tests</h2>
<p class="meta">Difficulty: the mean share of a test's points earned (1 = everyone gets them). Discrimination: the correlation of a test's points with the rest of the auto-graded score (near 0 or below: the test does not follow how well students do otherwise; – where either does not vary).</p>
${flagged.length ? `<div class="notes warn"><strong>Tests to look at:</strong> ${flagged.join("; ")}</div>` : ""}
${charts.tests ? `<figure>${charts.tests}</figure>` : ""}
${blocks.join("\n")}</section>`;
}

function pairView(p: PairView, rank: number): string {
  const [a, b] = p.students;
  return `<details class="pair" data-question="${esc(p.question)}" data-rank="${rank}"><summary><span class="score">${p.score.toFixed(2)}</span> · ${esc(a)} and ${esc(b)}</summary>
<div class="side"><div><h4>${esc(a)}</h4><pre>${marked(p.texts[0], p.spans[0])}</pre></div><div><h4>${esc(b)}</h4><pre>${marked(p.texts[1], p.spans[1])}</pre></div></div></details>`;
}

function similaritySection(r: Report, views: readonly PairView[], threshold: number): string {
  const rows = r.similarityQuestions.map((q) => `<tr><td>${esc(q.question)}</td><td>${q.kind === "code" ? "code" : "free text"}</td><td class="n">${q.compared}</td><td class="n">${q.tooShort}</td><td class="n">${q.pairs}</td></tr>`);
  const lists = r.similarityQuestions.filter((q) => q.pairs > 0).map((q) => {
    const mine = views.filter((v) => v.question === q.question);
    const more = mine.length < q.pairs ? `<p class="meta">The ${mine.length} highest of ${q.pairs} pairs; report.json lists them all.</p>` : "";
    return `<h3>${esc(q.question)} (${q.kind === "code" ? "code" : "free text"}): ${q.pairs} pair${q.pairs === 1 ? "" : "s"}</h3>${more}\n${mine.map((v, i) => pairView(v, i + 1)).join("\n")}`;
  });
  return `<section id="similarity"><h2>Similar answers</h2>
<p class="meta">Answers are compared after removing comments, whitespace and variable names (TypeScript's scanner for code, words for free text), by winnowed fingerprints (Schleimer, Wilkerson and Aiken 2003, as in MOSS). Text given in the release's cell and very short answers are left out, and stretches that much of the class shares are not counted as shared. Score: twice the fingerprints two answers share over the fingerprints they have (JPlag's average similarity); pairs from ${threshold.toFixed(2)} are listed, highest first; open one to see the two answers side by side, shared stretches marked. A high score is a reason to look, not a verdict.</p>
<table><tr><th>answer</th><th>kind</th><th>compared</th><th>too short</th><th>pairs</th></tr>${rows.join("")}</table>
${lists.length ? lists.join("\n") : "<p>No pair of answers reaches the threshold.</p>"}</section>`;
}

function manualSection(r: Report, charts: Charts): string {
  if (!r.manual.length) return "";
  const rows = r.manual.map((m) => `<tr><td>${esc(m.id)}</td><td class="n">${m.maxScore}</td><td class="n">${m.answers}</td><td class="n">${m.graded}</td><td class="n">${m.pending}</td><td class="n">${num(m.mean)}</td></tr>`);
  const pending = r.manual.reduce((a, m) => a + m.pending, 0);
  return `<section id="manual"><h2>Manual grading</h2><p>${pending ? `${pending} free-text answers still need a person (<code>courseware manual sheet</code>).` : "Every free-text answer is graded."}</p>
<table><tr><th>question</th><th>points</th><th>answers</th><th>graded</th><th>waiting</th><th>mean</th></tr>${rows.join("")}</table>
${charts.manual ? `<figure>${charts.manual}</figure>` : ""}</section>`;
}

export function reportPage(r: Report, charts: Charts, views: readonly PairView[], threshold: number): string {
  const notes = r.staffNotes.length ? `<div class="notes"><strong>Notes on the batch</strong> (for the staff)<ul>${r.staffNotes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul></div>` : "";
  const own = r.reportNotes.length ? `<div class="notes warn"><ul>${r.reportNotes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul></div>` : "";
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(r.assignment)}: batch report</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(r.assignment)}: batch report</h1>`,
    `<p class="meta">${r.documents} submissions from ${esc(r.from)} · made ${esc(r.generatedAt)} · for the staff only: it names students and hidden tests</p>`,
    '<nav><a href="#class">The class</a><a href="#questions">Questions and tests</a><a href="#similarity">Similar answers</a>' + (r.manual.length ? '<a href="#manual">Manual grading</a>' : "") + "</nav>",
    notes,
    own,
    classSection(r, charts),
    questionsSection(r, charts),
    similaritySection(r, views, threshold),
    manualSection(r, charts),
    "</body></html>",
    "",
  ].join("\n");
}
