// The command lines of `npm run backup -- DIR` and `npm run restore -- DIR`, as a shell starts them: --help
// prints the usage, an option is never taken for the directory (`--help` once had a whole backup written
// into ./--help). Run from an empty directory, against a database nobody answers at: nothing may appear.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The CLI as `npm run backup|restore -- …` starts it, from `cwd`: its exit code and what it wrote. */
function runCli(script: 'backup' | 'restore', args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: 'postgres://127.0.0.1:1/nobody', PLATFORM_DATA_DIR: join(cwd, 'data') };
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', join(ROOT, 'tools/register.js'), join(ROOT, `tools/backup/${script}.ts`), ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.each(['backup', 'restore'] as const)('npm run %s: its command line', (script) => {
  const usage = new RegExp(`^usage: npm run ${script} -- DIR `);

  it('prints the usage on stdout for --help and -h, exit 0, and writes nothing', async () => {
    const asked = ['--help', '-h'].map((help) => ({ help, cwd: mkdtempSync(join(tmpdir(), `${script}-cli-`)) }));
    const answers = await Promise.all(asked.map(({ help, cwd }) => runCli(script, [help], cwd)));
    answers.forEach((answer, n) => {
      expect({ code: answer.code, stderr: answer.stderr, written: readdirSync(asked[n].cwd) }).toEqual({ code: 0, stderr: '', written: [] });
      expect(answer.stdout).toMatch(usage);
    });
  }, 60_000);

  it('refuses an option, or no DIR, in one line and the usage, exit 1, and writes nothing', async () => {
    const cases: [string[], string][] = [
      [['--frobnicate'], 'unknown option --frobnicate (for a directory of that name, write ./--frobnicate)'],
      [['some-dir', '-x'], 'unknown option -x (for a directory of that name, write ./-x)'],
      [[], 'no DIR given'],
      [['one', 'two'], 'one DIR, not 2'],
    ];
    const folders = cases.map(() => mkdtempSync(join(tmpdir(), `${script}-cli-`)));
    const answers = await Promise.all(cases.map(([args], n) => runCli(script, args, folders[n])));
    answers.forEach((answer, n) => {
      const [first, second] = answer.stderr.split('\n');
      expect({ code: answer.code, first, written: readdirSync(folders[n]) }).toEqual({ code: 1, first: cases[n][1], written: [] });
      expect(second).toMatch(usage);
    });
  }, 60_000);
});
