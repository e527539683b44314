// The all-in-one platform as `npm start` runs it (services/platform/src/main.ts, a child process on its own embedded
// Postgres in a temporary data directory), stopped and disturbed as an operator or a supervisor would: SIGTERM in the
// middle of a burst of registrations, a second start on the same data directory, a start after a platform killed with
// SIGKILL, the embedded server killed.
import { embeddedPostgresUrl } from '@skills/postgres';
import { bearer, freePort, http, signInAs, TEST_ADMIN_PASSWORD, testAdultIdentityNumber, testCreditCode } from '@skills/testing';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');
/** Generous: two shared cores, and the platform compiled from source at each start. */
const START_MS = 180_000;
const CONCURRENT = 20;

interface PlatformProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Its exit code (null if a signal ended it) and everything it wrote. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

describe('the all-in-one platform process on its embedded Postgres', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'skills-platform-process-'));
  const dataDir = join(scratch, 'postgres');
  const started: ChildProcess[] = [];
  let postgresPort: number;
  let running: PlatformProcess | undefined;

  /** `npm start`'s process on the data directory, without the Jest run's DATABASE_URL: its own embedded server. */
  async function launch(): Promise<PlatformProcess> {
    const env: NodeJS.ProcessEnv = { ...process.env, PLATFORM_DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_POSTGRES_PORT: String(postgresPort), ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, ALLOW_DEVELOPMENT_KEY: '1', LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    const child = spawn(process.execPath, ['-r', join(ROOT, 'tools', 'register.js'), join(ROOT, 'services', 'platform', 'src', 'main.ts')], { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
    return { child, baseUrl: `http://127.0.0.1:${env.PORT}`, exited };
  }

  /** Resolves once it answers /health/ready 200; rejects with what it said if it exits first or takes too long. */
  async function ready(platform: PlatformProcess): Promise<PlatformProcess> {
    let exit: { code: number | null; output: string } | undefined;
    void platform.exited.then((result) => (exit = result));
    for (const deadline = Date.now() + START_MS; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
      if (exit) throw new Error(`the platform exited (${exit.code}) before it was ready:\n${exit.output}`);
      const status = await fetch(`${platform.baseUrl}/health/ready`).then((answer) => answer.status, () => 0);
      if (status === 200) return platform;
    }
    throw new Error(`the platform was not ready within ${START_MS} ms`);
  }

  const postmasterPid = () => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

  beforeAll(async () => {
    postgresPort = await freePort();
    // The platform serves the console it finds built under its working directory: a page of its own here, not the
    // repository's dist/console, which a console build running beside this one empties for a while.
    mkdirSync(join(scratch, 'dist', 'console'), { recursive: true });
    writeFileSync(join(scratch, 'dist', 'console', 'index.html'), '<!doctype html><title>console</title>');
  });

  afterAll(async () => {
    // A failed test's platform: stopped, then killed if it does not stop; its postmaster follows it (the watchdog).
    for (const child of started.filter((one) => one.exitCode === null && one.signalCode === null)) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it('stops on SIGTERM in the middle of a burst of registrations: every registration committed was answered, and it exits 0', async () => {
    const platform = await ready(await launch());
    const provider = await http(platform.baseUrl, 'POST', '/api/v1/providers', { name: '株洲停机测试学校', creditCode: testCreditCode(4101), regionCode: '430200' }, bearer((await signInAs(platform.baseUrl, { role: 'platform_admin' })).token));
    expect(provider.status).toBe(201);
    const school = bearer((await signInAs(platform.baseUrl, { role: 'school_staff', organisationId: provider.body.id as string })).token);

    // Each of 20 clients registers trainees one after another until the platform stops answering it.
    let next = 0;
    const statuses: number[] = [];
    const client = async () => {
      for (;;) {
        const answer = await http(platform.baseUrl, 'POST', '/api/v1/trainees', { name: '停机中', idNumber: testAdultIdentityNumber(next++), phone: '13900000000' }, school).catch(() => undefined);
        // No answer: the platform had stopped taking connections (or dropped this one, which the count below catches).
        if (!answer) return;
        statuses.push(answer.status);
        if (answer.status !== 201) return;
      }
    };
    const clients = Array.from({ length: CONCURRENT }, client);
    while (statuses.length < 40 && platform.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
    platform.child.kill('SIGTERM');
    await Promise.all(clients);
    const exit = await platform.exited;

    // Started again on the same data: the event store holds exactly the registrations answered 201.
    running = await ready(await launch());
    const sql = new Client({ connectionString: embeddedPostgresUrl(postgresPort) });
    await sql.connect();
    const { rows } = await sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM trainee.events WHERE event_type = 'TraineeRegistered'`);
    await sql.end();
    const created = statuses.filter((status) => status === 201).length;
    expect({ code: exit.code, signal: exit.signal, crashed: /57P01|terminating connection/.test(exit.output), committed: rows[0].count }).toEqual({ code: 0, signal: null, crashed: false, committed: created });
    expect(created).toBeGreaterThanOrEqual(40);
  }, 600_000);

  it('refuses a second start on the same data directory, naming it and the process holding it, and leaves the first running', async () => {
    if (!running) throw new Error('no platform running: the test before failed');
    const first = running;
    const launched = await launch();
    // Bounded: a second start that is not refused runs on.
    const timer = setTimeout(() => launched.child.kill('SIGTERM'), 120_000);
    const second = await launched.exited;
    clearTimeout(timer);
    expect(second.code).not.toBe(0);
    expect(second.output).toContain(`the data directory ${dataDir} is in use by process ${first.child.pid}`);
    expect((await http(first.baseUrl, 'GET', '/health/ready')).status).toBe(200);
    expect(first.child.exitCode).toBeNull();
  }, 300_000);

  it('starts where a platform killed with SIGKILL left its Postgres server running', async () => {
    if (!running) throw new Error('no platform running: the test before failed');
    const killed = running;
    const orphan = postmasterPid();
    // Its watchdog first, which would otherwise stop the server within a second of its platform's death.
    const watchdog = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .split('\n')
      .find((line) => line.includes(`embedded-postgres-watchdog ${killed.child.pid} ${orphan}`));
    process.kill(Number(watchdog?.trim().split(' ')[0]), 'SIGKILL');
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(() => process.kill(orphan, 0)).not.toThrow();

    running = await ready(await launch());
    expect(postmasterPid()).not.toBe(orphan);
    expect(() => process.kill(orphan, 0)).toThrow();
  }, 300_000);

  it('exits non-zero, saying why, when its embedded Postgres is killed', async () => {
    if (!running) throw new Error('no platform running: the test before failed');
    process.kill(postmasterPid(), 'SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([running.exited, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 30_000)))]);
    clearTimeout(timer);
    expect(exit?.code).toBe(1);
    expect(exit?.output).toContain('the embedded Postgres server stopped (killed by SIGKILL)');
  }, 60_000);
});
