// Types for compile.js, which stays plain JavaScript so the image build runs it before anything is compiled.

export interface CompileResult {
  /** The TypeScript sources compiled, relative to the repository root. */
  files: string[];
  /** Every package the compiled code requires (reflect-metadata included), as written in the code. */
  requiredModules: string[];
}

/** Compiles `entry` (relative to the repository root) and everything it imports into `outDir`. */
export declare function compile(entry: string, outDir: string): CompileResult;
