// Lints code snippets as if they were files at the given workspace paths, with the workspace
// ESLint config. Used by module-boundaries.spec.ts, which runs it as a child process: ESLint
// loads eslint.config.mjs with import(), and Jest's module sandbox refuses dynamic imports
// unless Node runs with --experimental-vm-modules.
//
// stdin:  [{ "filePath": "libs/domain-kernel/src/x.ts", "code": "import ..." }, ...]
// stdout: last line is a JSON array with the ESLint messages of each snippet, in order.
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { createProjectGraphAsync } from '@nx/devkit';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const snippets = JSON.parse(await text(process.stdin));

// @nx/enforce-module-boundaries reads the cached project graph and skips itself without one.
await createProjectGraphAsync({ exitOnError: false });

const eslint = new ESLint({ cwd: repoRoot });
const messages = [];
for (const { filePath, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, filePath), warnIgnored: true });
  messages.push(result.messages);
}
process.stdout.write(`\n${JSON.stringify(messages)}\n`);
