// The services' and libraries' own code, as the catalogue specs read it: what a service can answer or
// write (a rule, an audited action) is found in its source, so one added later fails a spec until the
// console's catalogues say it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.join(__dirname, '..', '..', '..');

/** The services' folders (`training-service`, …): the console and the hosts are none. */
export const services = readdirSync(path.join(repoRoot, 'services')).filter((name) => name.endsWith('-service'));

/** Where the services' code is, and the libraries'. */
export const serviceSourceDirs = services.map((name) => path.join(repoRoot, 'services', name, 'src'));
export const libsDir = path.join(repoRoot, 'libs');

/** Every .ts file below `dir` but tests. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === '__fixtures__' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [full] : [];
  });
}

export interface SourceFile {
  /** Relative to the repository (`libs/event-sourcing/src/audit-trail.ts`). */
  file: string;
  /** Comments left out (they show how code is written: `new FieldRefusal('field', 'rule', …)`). */
  code: string;
}

/** The code of every file below `dirs` (default: the services and the libraries). */
export function sourceCode(dirs: string[] = [...serviceSourceDirs, libsDir]): SourceFile[] {
  return dirs.flatMap(sourceFiles).map((file) => ({
    file: path.relative(repoRoot, file),
    code: readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .join('\n'),
  }));
}

/** The first group of every match of `pattern` in the code of `files`. */
export const matched = (pattern: RegExp, files: SourceFile[] = sourceCode()) => files.flatMap(({ code }) => [...code.matchAll(pattern)].map((match) => match[1]));
