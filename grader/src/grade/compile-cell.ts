import { createRequire } from "node:module";
import ts from "typescript";

const requireFromGrader = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-empty-function
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

/**
 * Compiles an instructor's TypeScript cell (a test or reference cell) for the grader process. Its imports
 * resolve from the grader's packages; `bindings` become names the cell can use directly.
 */
export function compileTrustedCell(source: string, label: string, bindingNames: string[], resultName?: string): (...bindings: unknown[]) => Promise<unknown> {
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    reportDiagnostics: true,
    fileName: `${label}.ts`,
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new Error(`${label} does not compile: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")).join("; ")}`);
  }
  // the cell's value named `resultName` (a top-level declaration) is returned
  const body = resultName ? `${out.outputText}\nreturn typeof ${resultName} === "undefined" ? undefined : ${resultName};` : out.outputText;
  const fn = new AsyncFunction("exports", "require", "module", ...bindingNames, body);
  return (...bindings) => {
    const module = { exports: {} };
    return fn(module.exports, requireFromGrader, module, ...bindings);
  };
}
