// The grader's compile server: one long-lived process that compiles notebook cells with tslab's own converter, so
// that sandboxes only run JavaScript. It is started by cell-compiler.ts under the same isolation as a sandbox (it
// may read only the packages; it writes nothing) and never runs the code it compiles.
// Speed comes from what never changes during a batch: the parsed and bound TypeScript files of the packages and of
// TypeScript's lib are shared by every submission's converter, and the lean builder skips the incremental builder's
// bookkeeping. Each submission (a "session") has its own converter, as each kernel has its own.
import { createRequire } from "node:module";
import { join } from "node:path";
import { lineReader, writeAll } from "../line-channel.js";
import { leanBuilderFactory } from "./lean-builder.js";
import { COMPILE_REPLY_FD, type CellDiagnostic, type CompileReply, type CompileRequest, type CompiledCell, type ConvertedCell } from "./protocol.js";

interface Converter {
  convert(prevDecl: string, source: string): ConvertedCell;
  addModule(name: string, source: string, meta: object): CellDiagnostic[];
  close(): void;
}

const cwd = process.cwd();
// tslab (and its TypeScript) resolve from the compile folder upwards, as from a notebook's folder
const requireHere = createRequire(join(cwd, "notebook.js"));
const requireTslab = createRequire(requireHere.resolve("tslab/package.json"));
const tsPath = requireTslab.resolve("@tslab/typescript-for-tslab");
const ts = requireTslab(tsPath) as any; // TypeScript 5.0's internals are untyped

const ownFile = (fileName: string) => fileName === cwd || fileName.startsWith(cwd + "/");

// Nothing on disk changes while a batch is graded: no file watching (it would also fail under the permission model).
const noWatch = () => ({ close: () => undefined });
ts.sys.watchFile = noWatch;
ts.sys.watchDirectory = noWatch;

/** Parsed source files outside the compile folder (packages, TypeScript's lib), shared by all converters. */
const shared = new Map<string, unknown>();
const createLeanBuilder = leanBuilderFactory(ts);

// tslab's converter calls ts.createWatchCompilerHost; TypeScript's exports are read-only getters, so the converter
// is given a view of the module whose createWatchCompilerHost adds the shared files and the lean builder.
const view: Record<string, unknown> = {};
for (const key of Object.keys(ts)) Object.defineProperty(view, key, { get: () => ts[key], enumerable: true, configurable: true });
Object.defineProperty(view, "createWatchCompilerHost", {
  enumerable: true,
  value: (...args: unknown[]) => {
    const host = ts.createWatchCompilerHost(...args);
    host.createProgram = (rootNames: string[], options: object, compilerHost: any, ...rest: [unknown, unknown, unknown]) => {
      if (compilerHost && !compilerHost.sharesFiles) {
        compilerHost.sharesFiles = true;
        const getSourceFile = compilerHost.getSourceFile;
        compilerHost.getSourceFile = (fileName: string, version: any, onError: unknown, fresh: boolean) => {
          if (ownFile(fileName)) return getSourceFile(fileName, version, onError, fresh);
          const key = `${fileName}|${typeof version === "object" ? `${version.languageVersion}/${version.impliedNodeFormat}` : version}`;
          let file = shared.get(key);
          if (!file) {
            file = getSourceFile(fileName, version, onError, fresh);
            if (file) shared.set(key, file);
          }
          return file;
        };
        // the watch host reuses an old program's files through getSourceFileByPath: send shared ones to the cache
        const getSourceFileByPath = compilerHost.getSourceFileByPath;
        if (getSourceFileByPath) {
          compilerHost.getSourceFileByPath = (fileName: string, path: string, version: unknown, onError: unknown, fresh: boolean) =>
            ownFile(fileName) ? getSourceFileByPath(fileName, path, version, onError, fresh) : compilerHost.getSourceFile(fileName, version, onError, fresh);
        }
      }
      return createLeanBuilder(rootNames, options, compilerHost, ...rest);
    };
    return host;
  },
});
const cached = requireTslab.cache[tsPath];
if (!cached) throw new Error("tslab's TypeScript was not loaded as a CommonJS module");
cached.exports = view;

const { createConverter } = requireTslab("./dist/converter") as { createConverter(o: object): Converter };
const { getCodeMetadata } = requireTslab("./dist/metadata") as { getCodeMetadata(source: string): CompiledCell["meta"] };

const converters = new Map<string, Converter>();
function compile(session: string, prevDecl: string, source: string): CompiledCell {
  const cell: CompiledCell = { meta: {} };
  try {
    cell.meta = getCodeMetadata(source);
    if (cell.meta.mode === "browser" && !cell.meta.module) return cell; // the sandbox reports browser cells as unsupported
    let converter = converters.get(session);
    if (!converter) converters.set(session, (converter = createConverter({ isJS: false, isBrowser: false })));
    if (cell.meta.module) cell.moduleDiagnostics = converter.addModule(cell.meta.module, source, cell.meta);
    else cell.converted = converter.convert(prevDecl, source);
  } catch (e) {
    cell.error = String(e);
  }
  return cell;
}

const send = (reply: CompileReply) => writeAll(COMPILE_REPLY_FD, JSON.stringify(reply) + "\n");
const receive = lineReader<CompileRequest>(0);
createConverter({ isJS: false, isBrowser: false }).close(); // parse TypeScript's lib and @types before the first request
send({ type: "ready" });
for (let msg = receive(); msg !== null; msg = receive()) {
  if (msg.type === "compile") send({ type: "compiled", id: msg.id, cell: compile(msg.session, msg.prevDecl, msg.source) });
  else if (msg.type === "close") {
    converters.get(msg.session)?.close();
    converters.delete(msg.session);
  }
}
