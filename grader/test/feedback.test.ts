import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { STATUS_EXPLANATIONS, htmlReport, markdownReport, mdInline } from "../src/feedback/report.js";
import { writeFeedback } from "../src/feedback/write-feedback.js";
import type { ScoreDocument } from "../src/grade/score-document.js";
import { SCRIPT, doc, gradesDir } from "./grades-fixture.js";
import { ROOT } from "./helpers.js";

const CLI = join(ROOT, "grader/bin/courseware.js");

/** alice: one answer graded with a comment, one pending, and a cell that raised. */
function graded(): ScoreDocument {
  return doc("alice", {
    score: 4.25,
    manual: [
      { id: "nn-definition", maxScore: 1, answer: SCRIPT, score: 0.75, comment: "Close; see <lecture 2> & the `sigmoid`." },
      { id: "attention", maxScore: 2, answer: "```\ncode fence inside\n```", score: null },
    ],
    needsManualGrading: ["attention"],
    messages: ['Code cell 7 ("softmax") raised TypeError: x.map is not a function'],
  });
}

test("Markdown: status explained, total, every test with ✓/✗ and points, failure messages, cell errors", () => {
  const md = markdownReport(graded());
  assert.match(md, /^# Feedback: llm-architecture\n/);
  assert.ok(md.includes("**Student:** alice"));
  assert.ok(md.includes(`**Status:** graded: ${STATUS_EXPLANATIONS.graded}`));
  assert.ok(md.includes("**Score:** 4.25 / 9 (2 points of free-text answers still waiting for a TA)"));
  assert.ok(md.includes("## Question softmax: 3 / 3"));
  assert.ok(md.includes("## Question similarity-matrix: 0.5 / 3"));
  assert.ok(md.includes("- ✓ p is a Tensor: 1 / 1\n"));
  assert.ok(md.includes("- ✓ rows sum to 1 _(hidden test)_: 2 / 2\n"));
  assert.ok(md.includes("- ✓ similarityMatrix is 3 x 3: 0.5 / 0.5\n"));
  assert.ok(md.includes("- ✗ diagonal is one _(hidden test)_: 0 / 2.5\n  - entry (0, 0) is 0.92: a vector's similarity with itself is 1\n"));
  assert.ok(md.includes('- Code cell 7 ("softmax") raised TypeError: x.map is not a function'));
});

test("Markdown: free-text answers verbatim in a fence, score or 'waiting for a TA', the TA's comment escaped", () => {
  const md = markdownReport(graded());
  assert.ok(md.includes("### nn-definition: 0.75 / 1\n\nYour answer:\n\n```text\n" + SCRIPT + "\n```\n"));
  // The answer's own ``` cannot close the fence.
  assert.ok(md.includes("### attention: waiting for a TA (out of 2)\n\nYour answer:\n\n````text\n```\ncode fence inside\n```\n````\n"));
  assert.ok(md.includes("**TA comment:** Close; see \\<lecture 2\\> \\& the `sigmoid`."));
  // Outside the fences, no raw tag survives.
  const outside = md.replace(/(`{3,})text\n[\s\S]*?\n\1\n/g, "");
  assert.not.match(outside, /(?<!\\)<(script|lecture)/);
});

test("Markdown escaping keeps code spans and neutralises markup", () => {
  assert.is(mdInline("`p` has no value"), "`p` has no value");
  assert.is(mdInline("a *b* [c](http://x) <img src=x> | ~d~ _e_"), "a \\*b\\* \\[c\\](http://x) \\<img src=x\\> \\| \\~d\\~ \\_e\\_");
  assert.is(mdInline("unclosed ` tick"), "unclosed \\` tick");
  assert.is(mdInline("two\nlines"), "two lines");
});

test("HTML: self-contained, no scripts, everything escaped, ✓/✗ with points and messages", () => {
  const html = htmlReport(graded());
  assert.match(html, /^<!DOCTYPE html>/);
  assert.not.match(html, /<script/i);
  assert.not.match(html, /\b(src|href)=/i, "nothing loaded from elsewhere");
  assert.ok(html.includes("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"));
  assert.ok(html.includes("Close; see &lt;lecture 2&gt; &amp; the <code>sigmoid</code>."));
  assert.ok(html.includes(`<strong>graded</strong>: ${STATUS_EXPLANATIONS.graded}`));
  assert.ok(html.includes("4.25 / 9 (2 points of free-text answers still waiting for a TA)"));
  for (const name of ["p is a Tensor", "rows sum to 1", "similarityMatrix is 3 x 3", "diagonal is one"]) assert.ok(html.includes(name), name);
  assert.is(html.match(/>✓</g)?.length, 3);
  assert.is(html.match(/>✗</g)?.length, 1);
  assert.ok(html.includes("entry (0, 0) is 0.92: a vector&#39;s similarity with itself is 1"));
  assert.ok(html.includes("<span class=\"points\">0 / 2.5</span>"));
  assert.is(html.match(/\(hidden test\)/g)?.length, 2);
  assert.ok(html.includes("Code cell 7 (&quot;softmax&quot;) raised TypeError: x.map is not a function"));
  assert.match(html, /<h3>attention: <span class="waiting">waiting for a TA \(out of 2\)<\/span><\/h3>/);
  assert.ok(html.includes("<h3>nn-definition: 0.75 / 1</h3>"));
});

test("hidden tests show their name, result and message, and no code: the reports add nothing the document lacks", () => {
  const d = graded();
  const hidden = d.questions[1]!.tests[1]!;
  for (const report of [markdownReport(d), htmlReport(d)]) {
    assert.ok(report.includes(hidden.name));
    assert.not.match(report, /assert\.|=>|function\s*\(/);
  }
});

test("an invalid submission: status explained, messages shown, questions not tested, no free-text section", () => {
  const d = doc("carol", { status: "invalid", score: 0, questions: [{ id: "softmax", score: 0, maxScore: 3, tests: [] }], manual: [], messages: ["The submission carol.ipynb is not a Jupyter notebook."] });
  const md = markdownReport(d);
  assert.ok(md.includes(`**Status:** invalid: ${STATUS_EXPLANATIONS.invalid}`));
  assert.ok(md.includes("**Score:** 0 / 9\n"));
  assert.ok(md.includes("- The submission carol.ipynb is not a Jupyter notebook."));
  assert.ok(md.includes("## Question softmax: 0 / 3\n\n_No tests ran for this question._"));
  assert.not.ok(md.includes("Free-text answers"));
  assert.ok(htmlReport(d).includes("No tests ran for this question."));
});

test("a document without needsManualGrading (older grader) still counts unscored answers as waiting", () => {
  const d = doc("old");
  delete d.needsManualGrading;
  assert.ok(markdownReport(d).includes("**Score:** 3.5 / 9 (3 points of free-text answers still waiting for a TA)"));
});

test("writeFeedback writes <student>.md and .html, and refuses ids that are not file names", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "feedback-")), "reports");
  const written = await writeFeedback([graded(), doc("bob")], out);
  assert.equal(readdirSync(out).sort(), ["alice.html", "alice.md", "bob.html", "bob.md"]);
  assert.is(written.length, 4);
  assert.is(readFileSync(join(out, "alice.md"), "utf8"), markdownReport(graded()));
  await writeFeedback([doc("../evil")], out).then(() => assert.unreachable("wrote"), (e: Error) => assert.match(e.message, /Cannot write feedback/));
});

test("CLI: courseware feedback --from <grades> --out <dir>", () => {
  const dir = gradesDir();
  const out = join(dir, "feedback");
  const r = spawnSync(process.execPath, [CLI, "feedback", "--from", dir, "--out", out], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  assert.equal(readdirSync(out).sort(), ["alice.html", "alice.md", "bob.html", "bob.md", "carol.html", "carol.md"]);
  const bob = readFileSync(join(out, "bob.html"), "utf8");
  assert.not.match(bob, /<script/i);
  assert.ok(bob.includes("&lt;script&gt;"));
});

test.run();
