// The import CLI (npm run import) as a school's script runs it: a child process with the school's API key
// against a host with identity and trainee-service; its exit codes, its one-line refusals, its error file.
import type { ImportJobAnswer } from '@skills/contracts';
import { IdentityModule } from '@skills/identity-service';
import { bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testAdultIdentityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The CLI as `npm run import -- …` starts it: its exit code and what it wrote. */
function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', './tools/register.js', 'tools/import/import.ts', ...args], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run import: a file imported from the command line with an API key', () => {
  let database: TestDatabase;
  let host: TestHost;
  let apiKey: string;
  const folder = mkdtempSync(join(tmpdir(), 'import-cli-'));
  const file = (name: string, rows: string[][]) => {
    const path = join(folder, name);
    writeFileSync(path, rows.map((row) => row.join(',')).join('\r\n') + '\r\n');
    return path;
  };
  const header = ['姓名', '身份证号', '手机号'];
  const people = [0, 1, 2].map((n) => [`命令行学员${n}`, testAdultIdentityNumber(881_000 + n), `1378810000${n}`]);
  const wrongCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  const withBadRow = () => file('with-bad-row.csv', [header, ...people, ['错号', wrongCheckDigit(testAdultIdentityNumber(881_003)), '13788100003']]);

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, TraineeModule], transport: 'in-process', databaseUrl: database.url });
    const clerk = await signInAs(host.baseUrl, { role: 'school_staff', organisationId: randomUUID() });
    const key = await http(host.baseUrl, 'POST', '/api/v1/api-keys', { name: '学员导入脚本' }, bearer(clerk.token));
    expect(key.status).toBe(201);
    apiKey = `${key.body.clientId}:${key.body.clientSecret}`;
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  const common = () => ['--kind', 'trainees', '--url', host.baseUrl, '--api-key', apiKey];

  it('checks without --run (exit 2, nothing written); with --run --skip-refused imports the good rows, exit 2, and writes the error file', async () => {
    const dry = await runCli([withBadRow(), ...common()]);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toMatch(/checked, 4 rows: created 0 · already present 0 · corrected 0 · refused 1; nothing written \(dry run\)/);

    // An error file left by an earlier run, readable by all: narrowed to its owner before the rows go in.
    const errors = join(folder, 'refused.csv');
    writeFileSync(errors, 'an earlier run\n', { mode: 0o644 });
    const run = await runCli([withBadRow(), ...common(), '--run', '--skip-refused', '--errors', errors]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/done, 4 rows: created 3 · already present 0 · corrected 0 · refused 1; the refused rows are in /);
    expect(run.stderr).toMatch(/\[#{30}\] 4\/4 rows/);
    const refused = readFileSync(errors, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(refused).toHaveLength(2);
    expect(refused[1]).toMatch(/^5,.*idNumber/);
    expect(statSync(errors).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('a clean file again: every row already present, exit 0; --run alone with a refused row writes nothing, exit 2', async () => {
    const again = await runCli([file('clean.csv', [header, ...people]), ...common(), '--run']);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toMatch(/done, 3 rows: created 0 · already present 3 · corrected 0 · refused 0$/m);

    const stopped = await runCli([withBadRow(), ...common(), '--run']);
    expect(stopped.code).toBe(2);
    expect(stopped.stdout).toMatch(/checked, 4 rows: .* refused 1; nothing written: correct the file, or run again with --skip-refused/);
  }, 120_000);

  it('takes the API key from IMPORT_API_KEY, kept off the command line that ps shows (README)', async () => {
    const answer = await runCli([file('clean-from-env.csv', [header, ...people]), '--kind', 'trainees', '--url', host.baseUrl], { ...process.env, IMPORT_API_KEY: apiKey });
    expect(answer).toMatchObject({ code: 0 });
    expect(answer.stdout).toMatch(/checked, 3 rows: .* refused 0; nothing written \(dry run\)/);
  }, 120_000);

  it('says in one line why it stopped, exit 1: a file missing a column, a wrong secret, a missing argument', async () => {
    const noPhone = await runCli([file('no-phone.csv', [['姓名', '身份证号'], ['某人', testAdultIdentityNumber(881_010)]]), ...common()]);
    expect(noPhone.code).toBe(1);
    expect(noPhone.stderr.trim()).toMatch(/^the file was refused \(400\): .*\[file: missing_columns\]$/);

    const wrongSecret = await runCli([withBadRow(), '--kind', 'trainees', '--url', host.baseUrl, '--api-key', `${apiKey.split(':')[0]}:wrong`]);
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stderr.trim()).toMatch(/^the API key was refused \(401\): .*\[invalid_client\]$/);

    const noCourse = await runCli([withBadRow(), '--kind', 'enrolments_and_results', '--url', host.baseUrl, '--api-key', apiKey]);
    expect(noCourse.code).toBe(1);
    expect(noCourse.stderr).toMatch(/^--course is needed for enrolments_and_results/);
  }, 120_000);
});

describe('npm run import: a job that failed', () => {
  const failure = 'the owning service answered none of its batches for 30 minutes; upload the file again';
  const id = randomUUID();
  // A server that answers as the API does for a job that failed and whose refused rows it will not give
  // (a platform that fails such a job within a test's time is not at hand): what the CLI says is the point.
  const server = createServer((request, response) => {
    const answer = (status: number, body: object) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    request.resume();
    request.on('end', () => {
      if (request.url === '/oauth/token') return answer(200, { access_token: 'token', token_type: 'Bearer', expires_in: 300 });
      if (request.method === 'POST' && request.url === '/api/v1/imports') return answer(201, { id });
      if (request.url === `/api/v1/imports/${id}`) {
        const job: ImportJobAnswer = {
          id,
          kind: 'trainees',
          courseId: null,
          state: 'failed',
          total: 3,
          done: 1,
          created: 1,
          alreadyPresent: 0,
          corrected: 0,
          refused: 0,
          rowsPerSecond: null,
          waitingFor: null,
          failure,
          failureRule: 'owner_silent',
          createdAt: new Date().toISOString(),
          finishedAt: new Date().toISOString(),
        };
        return answer(200, job);
      }
      answer(503, { title: 'Service Unavailable', detail: 'try again later', rule: 'unavailable' });
    });
  });
  const folder = mkdtempSync(join(tmpdir(), 'import-failed-'));

  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('says why it failed, exit 1, even when its refused rows (--errors) cannot be read', async () => {
    const rows = join(folder, 'trainees.csv');
    writeFileSync(rows, '姓名,身份证号,手机号\r\n');
    const errors = join(folder, 'refused.csv');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const answer = await runCli([rows, '--kind', 'trainees', '--url', url, '--errors', errors], { ...process.env, IMPORT_API_KEY: 'client:secret' });
    expect(answer.code).toBe(1);
    expect(answer.stdout).toBe(`import ${id} failed: ${failure} (3 rows: created 1 · already present 0 · corrected 0 · refused 0)\n`);
    expect(answer.stderr).toMatch(/^reading the refused rows was refused \(503\): try again later \[unavailable\]$/m);
    expect(existsSync(errors)).toBe(false);
  }, 60_000);
});

describe('npm run import: the usage on --help, one line and the usage on a mistaken command line', () => {
  const usage = /^usage: npm run import -- FILE --kind /m;
  const secret = 'the-secret-never-printed';
  const file = join(mkdtempSync(join(tmpdir(), 'import-usage-')), 'trainees.csv');
  writeFileSync(file, '姓名,身份证号,手机号\r\n');
  const rest = ['--kind', 'trainees', '--api-key', `client:${secret}`];

  it('prints the usage on stdout for --help and -h, exit 0', async () => {
    for (const help of await Promise.all([runCli(['--help']), runCli([file, ...rest, '-h'])])) {
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toMatch(usage);
    }
  }, 60_000);

  it('names the mistake in one line, then the usage, exit 1: never a stack, never the key', async () => {
    const cases: [string[], string][] = [
      [[file, '--kind', 'trainees', '--apikey', `client:${secret}`], 'unknown option --apikey'],
      [[file, ...rest, '--errors'], '--errors needs a value'],
      [[file, ...rest, '--errors', '--run'], '--errors needs a value'],
      [[file, ...rest, '--run=yes'], '--run takes no value'],
      [[file, ...rest, '--url', 'foo'], '--url must be an http or https URL, such as http://localhost:3000'],
      [[file, ...rest, '--url', 'ftp://example.org'], '--url must be an http or https URL, such as http://localhost:3000'],
    ];
    const answers = await Promise.all(cases.map(([args]) => runCli(args)));
    answers.forEach((answer, n) => {
      expect({ code: answer.code, stdout: answer.stdout, firstLine: answer.stderr.split('\n')[0] }).toEqual({ code: 1, stdout: '', firstLine: cases[n][1] });
      expect(answer.stderr.split('\n')[1]).toMatch(usage);
      expect(answer.stderr).not.toMatch(/^\s+at |Error/m);
      expect(answer.stderr).not.toContain(secret);
    });
  }, 60_000);
});
