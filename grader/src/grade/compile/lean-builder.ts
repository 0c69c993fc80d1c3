// A lean stand-in for TypeScript's incremental builder inside tslab's converter. tslab only calls the builder's
// getSourceFile, getProgram, emit and getAllDependencies, but the real builder recomputes the reference graph of
// every program file (hundreds of .d.ts files) on each of the two rebuilds per cell. This one is a plain Program:
// a file is bound when it is first asked for (the real builder's eager type checker did that), and dependencies
// are computed on demand with TypeScript's own BuilderState.getAllDependencies.
// It relies on TypeScript 5.0 internals, the version tslab pins: test/compile-server.test.ts checks its output
// against tslab's unmodified converter.

type TS = any;
type Program = any;
type SourceFile = any;

/** TypeScript 5.0's BuilderState getReferencedFiles, which is not exported: the files `sourceFile` depends on. */
function referencedFiles(ts: TS, program: Program, sourceFile: SourceFile, ambientModules: any[]): Set<string> | undefined {
  let out: Set<string> | undefined;
  const add = (p: string) => (out ??= new Set()).add(p);
  const canonical = program.getCanonicalFileName;
  const dir = ts.getDirectoryPath(sourceFile.resolvedPath);
  const pathOf = (fileName: string) => ts.toPath(program.getProjectReferenceRedirect(fileName) || fileName, dir, canonical);
  const addDeclarationsOf = (symbol: any) => {
    for (const d of symbol.declarations ?? []) {
      const file = ts.getSourceFileOfNode(d);
      if (file && file !== sourceFile) add(file.resolvedPath);
    }
  };
  if (sourceFile.imports?.length) {
    const checker = program.getTypeChecker();
    for (const name of sourceFile.imports) {
      const symbol = checker.getSymbolAtLocation(name);
      for (const d of symbol?.declarations ?? []) {
        const file = ts.getSourceFileOfNode(d);
        if (file) add(file.resolvedPath);
      }
    }
  }
  for (const ref of sourceFile.referencedFiles ?? []) add(pathOf(ref.fileName));
  sourceFile.resolvedTypeReferenceDirectiveNames?.forEach(({ resolvedTypeReferenceDirective: r }: any) => {
    if (r) add(pathOf(r.resolvedFileName));
  });
  if (sourceFile.moduleAugmentations.length) {
    const checker = program.getTypeChecker();
    for (const m of sourceFile.moduleAugmentations) {
      if (!ts.isStringLiteral(m)) continue;
      const symbol = checker.getSymbolAtLocation(m);
      if (symbol) addDeclarationsOf(symbol);
    }
  }
  for (const m of ambientModules) addDeclarationsOf(m);
  return out;
}

/** A replacement for `ts.createEmitAndSemanticDiagnosticsBuilderProgram` with the same arguments. */
export function leanBuilderFactory(ts: TS) {
  return function createLeanBuilder(rootNames: string[], options: object, host: object, oldBuilder: any, configFileParsingDiagnostics: unknown, projectReferences: unknown) {
    const program = ts.createProgram({ rootNames, options, host, oldProgram: oldBuilder?.getProgramOrUndefined(), configFileParsingDiagnostics, projectReferences });
    let state: object | null = null;
    const getState = () =>
      (state ??= (() => {
        const ambientModules = program.getTypeChecker().getAmbientModules().filter((m: any) => m.declarations?.length > 1);
        const memo = new Map<string, Set<string> | undefined>();
        const getValues = (p: string) => {
          if (!memo.has(p)) {
            const file = program.getSourceFileByPath(p);
            memo.set(p, file ? referencedFiles(ts, program, file, ambientModules) : undefined);
          }
          return memo.get(p);
        };
        return { program, referencedMap: { getValues } };
      })());
    return {
      getProgram: () => program,
      getProgramOrUndefined: () => program,
      releaseProgram: () => undefined,
      getState,
      getCompilerOptions: () => program.getCompilerOptions(),
      getCurrentDirectory: () => program.getCurrentDirectory(),
      getSourceFiles: () => program.getSourceFiles(),
      getSourceFile: (fileName: string) => {
        const file = program.getSourceFile(fileName);
        if (file && !file.locals) ts.bindSourceFile(file, program.getCompilerOptions());
        return file;
      },
      getOptionsDiagnostics: (ct: unknown) => program.getOptionsDiagnostics(ct),
      getGlobalDiagnostics: (ct: unknown) => program.getGlobalDiagnostics(ct),
      getConfigFileParsingDiagnostics: () => program.getConfigFileParsingDiagnostics(),
      getSyntacticDiagnostics: (file: unknown, ct: unknown) => program.getSyntacticDiagnostics(file, ct),
      getDeclarationDiagnostics: (file: unknown, ct: unknown) => program.getDeclarationDiagnostics(file, ct),
      getSemanticDiagnostics: (file: unknown, ct: unknown) => program.getSemanticDiagnostics(file, ct),
      emit: (file: unknown, write: unknown, ct: unknown, onlyDts: unknown, transformers: unknown) => program.emit(file, write, ct, onlyDts, transformers),
      getAllDependencies: (file: unknown) => ts.BuilderState.getAllDependencies(getState(), program, file),
    };
  };
}
