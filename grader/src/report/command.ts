import { resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { writeReport } from "./write-report.js";

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("expected a number from 0 to 1");
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number");
  return n;
}

/** Adds `courseware report` to the program. */
export function addReportCommand(program: Command): void {
  program
    .command("report")
    .description("write a batch report for the staff (<out>/index.html, one self-contained page, and <out>/report.json): the class, questions and tests, similar answers, manual grading")
    .requiredOption("--from <dir>", "grades folder written by `courseware grade` (holds students/*.json)")
    .requiredOption("--out <dir>", "where index.html and report.json go")
    .option("--solutions <dir>", "instructor source notebooks (for the code given in each answer cell)", "solutions")
    .option("--min-similarity <score>", "list pairs of answers at least this similar (0 to 1)", share, 0.5)
    .option("--pairs <n>", "pairs per answer cell shown side by side in the page (report.json has them all)", count, 25)
    .action(async (opts: { from: string; out: string; solutions: string; minSimilarity: number; pairs: number }) => {
      const started = Date.now();
      const r = await writeReport({
        from: opts.from,
        out: opts.out,
        solutionsDir: resolve(opts.solutions),
        minSimilarity: opts.minSimilarity,
        shownPairs: opts.pairs,
        onPhase: (what) => process.stderr.write(`${what}…\n`),
      });
      const { report } = r;
      const flagged = report.questions.reduce((a, q) => a + q.tests.filter((t) => t.flags.length).length, 0);
      const pending = report.manual.reduce((a, m) => a + m.pending, 0);
      console.log(`${r.htmlPath} (${(r.htmlBytes / 1024).toFixed(0)} KB) and ${r.jsonPath}: ${report.documents} submissions of ${report.assignment} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const pairs = report.similarity.length;
      console.log(`  ${pairs} similar pair${pairs === 1 ? "" : "s"} from ${opts.minSimilarity}, ${flagged} test${flagged === 1 ? "" : "s"} flagged, ${pending} free-text answers waiting for a person`);
      for (const n of report.reportNotes) console.log(`  note: ${n}`);
    });
}
