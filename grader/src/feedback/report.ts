// Per-student feedback reports (Markdown and self-contained HTML) built from a score document only.
// The document holds test names, points and messages, never test code, so hidden tests show no more than that.
import { escapeHtml } from "@courseware/lib";
import { type ScoreDocument, type Status, pendingManual, roundPoints } from "../grade/score-document.js";

export const STATUS_EXPLANATIONS: Record<Status, string> = {
  graded: "Your notebook ran and its answers were tested.",
  invalid: "Your file could not be graded: it is not a readable Jupyter notebook. The messages below say why; fix it and submit again.",
  error: "Your notebook stopped with an error before it finished (for example a call to process.exit), so some answers could not be read.",
  timeout: "Your notebook ran past a time limit, so some answers could not be read. Look for a cell that loops or waits too long.",
};

const pts = (n: number) => `${n} ${n === 1 ? "point" : "points"}`;

/** Splits text into plain parts and `code spans` (CommonMark backtick runs of equal length). */
export function splitCodeSpans(text: string): Array<{ code: boolean; text: string }> {
  const parts: Array<{ code: boolean; text: string }> = [];
  let plain = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "`") {
      plain += text[i];
      i++;
      continue;
    }
    let n = 0;
    while (text[i + n] === "`") n++;
    const fence = "`".repeat(n);
    let close = text.indexOf(fence, i + n);
    while (close >= 0 && text[close + n] === "`") {
      let m = close;
      while (text[m] === "`") m++;
      close = text.indexOf(fence, m);
    }
    if (close < 0) {
      plain += fence;
      i += n;
      continue;
    }
    if (plain) parts.push({ code: false, text: plain });
    plain = "";
    parts.push({ code: true, text: text.slice(i + n, close) });
    i = close + n;
  }
  if (plain) parts.push({ code: false, text: plain });
  return parts;
}

/** Markdown for one line of untrusted text: code spans kept, every other Markdown or HTML character escaped. */
export function mdInline(text: string): string {
  return splitCodeSpans(text.replace(/\r\n?|\n/g, " "))
    .map((p) => {
      // Inline text never starts a line here, so only these can change its meaning (# for a heading's end).
      if (!p.code) return p.text.replace(/[\\`*_[\]<>#|~&]/g, (c) => `\\${c}`);
      // Code spans show their text literally; keep the same fence, padded when the text touches a backtick.
      const n = Math.max(1, ...[...p.text.matchAll(/`+/g)].map((m) => m[0].length + 1));
      const fence = "`".repeat(n);
      const pad = p.text.startsWith("`") || p.text.endsWith("`") ? " " : "";
      return `${fence}${pad}${p.text}${pad}${fence}`;
    })
    .join("");
}

/** A fenced block that shows `text` verbatim (no Markdown, no HTML), however many backticks it holds. */
export function mdFence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.replace(/\r\n?/g, "\n").replace(/\n$/, "")}\n${fence}`;
}

/** HTML for untrusted text: escaped, with `code spans` as <code>. */
function htmlInline(text: string): string {
  return splitCodeSpans(text)
    .map((p) => (p.code ? `<code>${escapeHtml(p.text)}</code>` : escapeHtml(p.text)))
    .join("");
}

function pendingIds(doc: ScoreDocument): string[] {
  return doc.needsManualGrading ?? pendingManual(doc.manual).map((m) => m.id);
}

function pendingPoints(doc: ScoreDocument): number {
  const ids = new Set(pendingIds(doc));
  return roundPoints(doc.manual.filter((m) => ids.has(m.id)).reduce((a, m) => a + m.maxScore, 0));
}

function scoreLine(doc: ScoreDocument): string {
  const waiting = pendingPoints(doc);
  return `${doc.score} / ${doc.maxScore}` + (waiting > 0 ? ` (${pts(waiting)} of free-text answers still waiting for a TA)` : "");
}

/** `staff`: the staff's version, which adds the document's staff notes; students get the report without them. */
export interface ReportOptions {
  staff?: boolean;
}

const STAFF_HEADING = "For the staff (not shown to the student)";

export function markdownReport(doc: ScoreDocument, opts: ReportOptions = {}): string {
  const out: string[] = [];
  out.push(`# Feedback: ${mdInline(doc.assignment)}`, "");
  out.push(`- **Student:** ${mdInline(doc.student)}`);
  out.push(`- **Status:** ${doc.status}: ${STATUS_EXPLANATIONS[doc.status]}`);
  out.push(`- **Score:** ${mdInline(scoreLine(doc))}`);
  if (doc.timing) out.push(`- **Graded at:** ${mdInline(doc.timing.gradedAt)}`);
  out.push("");
  if (doc.messages.length) {
    out.push("## Messages from the grader", "");
    out.push("These are about your notebook as a whole, such as cells that raised errors:", "");
    for (const m of doc.messages) out.push(`- ${mdInline(m)}`);
    out.push("");
  }
  if (opts.staff && doc.staffNotes?.length) {
    out.push(`## ${STAFF_HEADING}`, "");
    for (const m of doc.staffNotes) out.push(`- ${mdInline(m)}`);
    out.push("");
  }
  for (const q of doc.questions) {
    out.push(`## Question ${mdInline(q.id)}: ${q.score} / ${q.maxScore}`, "");
    if (q.tests.length === 0) out.push("_No tests ran for this question._");
    for (const t of q.tests) {
      const mark = t.passed ? "✓" : "✗";
      out.push(`- ${mark} ${mdInline(t.name)}${t.hidden ? " _(hidden test)_" : ""}: ${t.points} / ${t.maxPoints}`);
      if (t.message) out.push(`  - ${mdInline(t.message)}`);
    }
    out.push("");
  }
  if (doc.manual.length) {
    out.push("## Free-text answers", "");
    for (const m of doc.manual) {
      const score = m.score === null ? `waiting for a TA (out of ${m.maxScore})` : `${m.score} / ${m.maxScore}`;
      out.push(`### ${mdInline(m.id)}: ${score}`, "");
      out.push("Your answer:", "");
      out.push(m.answer.trim() === "" ? "_(no answer)_" : mdFence(m.answer), "");
      if (m.comment) out.push(`**TA comment:** ${mdInline(m.comment)}`, "");
    }
  }
  return out.join("\n").replace(/\n+$/, "\n");
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}h3{font-size:1.05rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
ul.tests{list-style:none;padding-left:0}ul.tests li{margin:.4rem 0}
.pass{color:#17693a}.fail{color:#b3261e}.mark{font-weight:700;display:inline-block;width:1.4rem}
.hidden{font-size:.85em;color:#555;font-style:italic}.points{color:#444}
.message{margin:.2rem 0 0 1.4rem;padding:.3rem .6rem;background:#fbf3f2;border-left:3px solid #b3261e}
pre{white-space:pre-wrap;word-wrap:break-word;background:#f6f6f6;padding:.75rem;border-radius:4px}
code{background:#f0f0f0;padding:0 .2em;border-radius:3px}.waiting{color:#8a5a00}.comment{border-left:3px solid #2a5db0;padding-left:.6rem}`;

export function htmlReport(doc: ScoreDocument, opts: ReportOptions = {}): string {
  const h = escapeHtml;
  const out: string[] = [];
  out.push(
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No scripts, and nothing loaded from elsewhere: the report is one file.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>Feedback: ${h(doc.assignment)}: ${h(doc.student)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<h1>Feedback: ${h(doc.assignment)}</h1>`,
    "<dl>",
    `<dt>Student</dt><dd>${h(doc.student)}</dd>`,
    `<dt>Status</dt><dd><strong>${h(doc.status)}</strong>: ${h(STATUS_EXPLANATIONS[doc.status])}</dd>`,
    `<dt>Score</dt><dd>${h(scoreLine(doc))}</dd>`,
    ...(doc.timing ? [`<dt>Graded at</dt><dd>${h(doc.timing.gradedAt)}</dd>`] : []),
    "</dl>",
  );
  if (doc.messages.length) {
    out.push("<h2>Messages from the grader</h2>", "<p>These are about your notebook as a whole, such as cells that raised errors:</p>", "<ul>");
    for (const m of doc.messages) out.push(`<li>${htmlInline(m)}</li>`);
    out.push("</ul>");
  }
  if (opts.staff && doc.staffNotes?.length) {
    out.push(`<h2>${STAFF_HEADING}</h2>`, "<ul>");
    for (const m of doc.staffNotes) out.push(`<li>${htmlInline(m)}</li>`);
    out.push("</ul>");
  }
  for (const q of doc.questions) {
    out.push(`<h2>Question ${h(q.id)}: ${q.score} / ${q.maxScore}</h2>`);
    if (q.tests.length === 0) out.push("<p><em>No tests ran for this question.</em></p>");
    else {
      out.push('<ul class="tests">');
      for (const t of q.tests) {
        const cls = t.passed ? "pass" : "fail";
        out.push(
          `<li class="${cls}"><span class="mark" aria-label="${t.passed ? "passed" : "failed"}">${t.passed ? "✓" : "✗"}</span>` +
            `${htmlInline(t.name)}${t.hidden ? ' <span class="hidden">(hidden test)</span>' : ""} ` +
            `<span class="points">${t.points} / ${t.maxPoints}</span>` +
            (t.message ? `<div class="message">${htmlInline(t.message)}</div>` : "") +
            "</li>",
        );
      }
      out.push("</ul>");
    }
  }
  if (doc.manual.length) {
    out.push("<h2>Free-text answers</h2>");
    for (const m of doc.manual) {
      const score = m.score === null ? `<span class="waiting">waiting for a TA (out of ${m.maxScore})</span>` : `${m.score} / ${m.maxScore}`;
      out.push(`<h3>${h(m.id)}: ${score}</h3>`, "<p>Your answer:</p>");
      out.push(m.answer.trim() === "" ? "<p><em>(no answer)</em></p>" : `<pre>${h(m.answer)}</pre>`);
      if (m.comment) out.push(`<p class="comment"><strong>TA comment:</strong> ${htmlInline(m.comment)}</p>`);
    }
  }
  out.push("</body>", "</html>", "");
  return out.join("\n");
}
