// Similar answers, question by question: each code answer cell and each free-text answer compared across the class
// (similarity/similar-pairs.ts), with the text every student was given in that cell (the release's) left out.
import type { Notebook } from "../notebook/nbformat.js";
import { gradeIdOf, sourceOf } from "../notebook/nbformat.js";
import type { ScoreDocument } from "../grade/score-document.js";
import type { SimilarPairEntry, SimilarityQuestion } from "./report-data.js";
import { type Answer, type AnswerKind, type SimilarPair, similarPairs } from "./similarity/similar-pairs.js";

/** A pair as the page shows it: both answers, with the stretches they share. */
export interface PairView extends SimilarPairEntry {
  texts: [string, string];
  spans: SimilarPair["spans"];
}

export interface SimilarityOptions {
  /** The release notebook the documents were graded against, for the given text of each answer cell. */
  release?: Notebook;
  minScore: number;
  /** Pairs per question the page shows side by side (report.json has them all). */
  shown: number;
}

export interface SimilarityFigures {
  questions: SimilarityQuestion[];
  pairs: SimilarPairEntry[];
  views: PairView[];
}

export function similarity(docs: readonly ScoreDocument[], options: SimilarityOptions): SimilarityFigures {
  const given = new Map((options.release?.cells ?? []).flatMap((c) => {
    const id = gradeIdOf(c);
    return id === undefined ? [] : [[id, sourceOf(c)] as const];
  }));
  const groups = new Map<string, { kind: AnswerKind; answers: Answer[] }>();
  const add = (id: string, kind: AnswerKind, student: string, text: string) => {
    const key = `${kind}:${id}`;
    const group = groups.get(key) ?? { kind, answers: [] };
    group.answers.push({ student, text });
    groups.set(key, group);
  };
  for (const d of docs) {
    for (const cell of d.answerCells ?? []) add(cell.id, "code", d.student, cell.source);
    for (const m of d.manual) add(m.id, "text", d.student, m.answer);
  }

  const questions: SimilarityQuestion[] = [];
  const pairs: SimilarPairEntry[] = [];
  const views: PairView[] = [];
  for (const [key, { kind, answers }] of groups) {
    const question = key.slice(kind.length + 1);
    const text = given.get(question);
    const result = similarPairs(answers, { kind, minScore: options.minScore, ...(text !== undefined && { given: text }) });
    questions.push({ question, kind, compared: result.compared, tooShort: result.tooShort.length, pairs: result.pairs.length });
    const byStudent = new Map(answers.map((a) => [a.student, a.text]));
    result.pairs.forEach((p, i) => {
      const entry: SimilarPairEntry = { question, kind, students: p.students, score: p.score };
      pairs.push(entry);
      if (i < options.shown) views.push({ ...entry, texts: [byStudent.get(p.students[0])!, byStudent.get(p.students[1])!], spans: p.spans });
    });
  }
  const order = (a: SimilarPairEntry, b: SimilarPairEntry) => b.score - a.score || a.question.localeCompare(b.question) || a.students.join().localeCompare(b.students.join());
  return { questions, pairs: pairs.sort(order), views };
}
