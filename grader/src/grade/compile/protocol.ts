// Messages between the grader and its compile server (compile-server.ts), and what a compiled cell carries to the
// sandbox. Grader -> server on stdin, server -> grader on fd 3, one JSON object per line.

/** tslab's reading of a cell's leading JSDoc tags (`@module name`, `@node`, `@browser`, `@jsx`). */
export interface CellMeta {
  module?: string;
  mode?: "node" | "browser";
  jsx?: boolean;
}

/** A TypeScript diagnostic as tslab's converter reports it (the executor prints these). */
export interface CellDiagnostic {
  start: { offset: number; line: number; character: number };
  end: { offset: number; line: number; character: number };
  messageText: string;
  category: number;
  code: number;
  fileName?: string;
}

/** tslab's converter output for one cell (`converter.convert(prevDecl, source)`). */
export interface ConvertedCell {
  output?: string;
  declOutput?: string;
  diagnostics: CellDiagnostic[];
  hasToplevelAwait?: boolean;
  sideOutputs?: { path: string; data: string }[];
  lastExpressionVar?: string;
}

/**
 * One cell compiled in the compile server, ready for tslab's executor in the sandbox: exactly one of `converted`
 * (an ordinary cell), `moduleDiagnostics` (an `@module` cell) or `error` (the converter threw) is set.
 */
export interface CompiledCell {
  meta: CellMeta;
  converted?: ConvertedCell;
  moduleDiagnostics?: CellDiagnostic[];
  error?: string;
}

export type CompileRequest =
  | { type: "compile"; id: number; session: string; prevDecl: string; source: string }
  | { type: "close"; session: string };

export type CompileReply = { type: "ready" } | { type: "compiled"; id: number; cell: CompiledCell };

export const COMPILE_REPLY_FD = 3;

/** The declarations the next cell is compiled against, as tslab's executor keeps them. */
export function nextPrevDecl(prevDecl: string, cell: CompiledCell, ran: boolean): string {
  const c = cell.converted;
  return c && c.diagnostics.length === 0 && ran ? (c.declOutput ?? "") : prevDecl;
}
