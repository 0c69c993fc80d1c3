// Progress of a batch on stderr: a bar with the ETA on a terminal (cli-progress), one line per submission
// otherwise (CI logs, pipes), so nothing is lost when the output is not a terminal.
import cliProgress from "cli-progress";
import type { ScoreDocument } from "./score-document.js";

export interface ProgressReporter {
  update: (done: number, total: number, doc: ScoreDocument, reused: boolean) => void;
  stop: () => void;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const line = (doc: ScoreDocument, reused: boolean) =>
    `${doc.student}: ${doc.status} ${doc.score}/${doc.maxScore} ${reused ? "(kept)" : `(${((doc.timing?.durationMs ?? 0) / 1000).toFixed(1)} s)`}`;
  if (!stream.isTTY) {
    return {
      update: (done, total, doc, reused) => void stream.write(`[${String(done).padStart(String(total).length)}/${total}] ${line(doc, reused)}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: "grading {bar} {value}/{total} | ETA {eta_formatted} | {last}", hideCursor: true, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total, doc, reused) => {
      if (!started) {
        bar.start(total, 0, { last: "" });
        started = true;
      }
      bar.update(done, { last: line(doc, reused) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
