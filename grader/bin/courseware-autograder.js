#!/usr/bin/env node
// Entry point of the autograders that run inside an LMS's grading container, one submission per run:
//   courseware-autograder.js gradescope   [options] [-- courseware grade options]   (Gradescope's run_autograder)
//   courseware-autograder.js prairielearn [options] [-- courseware grade options]   (a PrairieLearn external grader)
// See grader/docs/lms/gradescope.md and prairielearn.md. Plain JavaScript, so that a project that was not built (or
// broken in any way) is reported as an autograder failure, exit 1, and never as the student's.
const ENTRIES = { gradescope: "../dist/src/export/gradescope-autograder.js", prairielearn: "../dist/src/export/prairielearn-autograder.js" };
const BANNER = "courseware: AUTOGRADER FAILURE (the grader could not grade this submission; this is not the student's doing):";

const [system, ...args] = process.argv.slice(2);
if (!Object.hasOwn(ENTRIES, system ?? "")) {
  console.error(`usage: courseware-autograder.js ${Object.keys(ENTRIES).join("|")} [options] [-- courseware grade options]`);
  process.exit(2);
}
let main;
try {
  ({ main } = await import(new URL(ENTRIES[system], import.meta.url).href));
} catch (e) {
  console.log(`${BANNER}\nthe autograder cannot load (${String(e?.message ?? e).split("\n")[0]}); is the project installed and built (npm ci && npm run build)?`);
  process.exit(1);
}
try {
  process.exitCode = await main(args);
} catch (e) {
  console.log(`${BANNER}\n${e?.stack ?? e}`);
  process.exitCode = 1;
}
