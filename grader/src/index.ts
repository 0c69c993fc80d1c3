export { assign, type AssignOptions, type AssignResult } from "./assign/assign.js";
export { makeRelease } from "./assign/make-release.js";
export { assignmentFromSource, loadAssignment, type Assignment } from "./assignment/load-assignment.js";
export { gradeBatch, type GradeBatchOptions, type GradeBatchResult } from "./grade/grade-batch.js";
export { assertScoreDocument, assertSummaryDocument } from "./grade/schema.js";
export type { ScoreDocument, SummaryDocument, Status } from "./grade/score-document.js";
export { parseNotebook, readNotebook, formatNotebook } from "./notebook/read-notebook.js";
export { mergeSheet, writeSheet, SheetError } from "./manual/sheet.js";
