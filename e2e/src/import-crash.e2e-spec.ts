// A bulk import survives its process being killed: the host runs as a child process
// (imports/import-host.ts), is killed with SIGKILL while a 6,000-row trainees job is part way through its
// run, and a new host on the same database finishes the job. Each batch of 500 rows commits together
// with the job's progress, so after the restart every row is applied exactly once: one trainee, one
// TraineeRegistered event, one identity claim and one import key per row, and nothing twice.
import { bearer, createTestDatabase, freePort, http, ImportJob, importClient, TestDatabase, testAdultIdentityNumber, testCreditCode, testIssuer, waitFor } from '@skills/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');
const ROWS = 6000;
const BATCH_ROWS = 500;
/** Generous: two cores shared by many test workers, and a host compiled from source at each start. */
const HOST_START_MS = 180_000;
const JOB_MS = 600_000;

interface HostProcess {
  baseUrl: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/** A host process on the database and port; resolves once it listens, rejects with its last lines if it dies first. */
function startHostProcess(databaseUrl: string, port: number, started: ChildProcess[]): Promise<HostProcess> {
  const child = spawn(process.execPath, ['-r', './tools/register.js', 'e2e/src/imports/import-host.ts'], {
    cwd: ROOT,
    // IDENTITY_SERVICE_URL (set by testIssuer) is inherited: the host trusts the spec's tokens.
    env: { ...process.env, IMPORT_HOST_DATABASE_URL: databaseUrl, IMPORT_HOST_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Both pipes are read for the process's whole life (a full pipe would block it); the last lines are kept for errors.
  const tail: string[] = [];
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    const lines = output.split('\n');
    output = lines.pop() ?? '';
    tail.push(...lines);
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not listen within ${HOST_START_MS} ms:\n${tail.join('\n')}`)), HOST_START_MS);
    const listening = () => {
      const baseUrl = tail.map((line) => /import host listening on (\S+)/.exec(line)?.[1]).find(Boolean);
      if (!baseUrl) return;
      clearTimeout(timer);
      child.stdout?.off('data', listening);
      resolve({ baseUrl, child, exited });
    };
    child.stdout?.on('data', listening);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (${code ?? signal}) before it listened:\n${tail.join('\n')}`));
    });
  });
}

/** The job's progress and what is in the tables, read in one statement (one snapshot). */
async function tablesOf(sql: Client, jobId: string) {
  const { rows } = await sql.query<{ state: string; total: number; done: number; claims: number; registered: number; keys: number }>(
    `SELECT state, total, done,
       (SELECT count(*) FROM trainee.identity_claims)::int AS claims,
       (SELECT count(*) FROM trainee.events WHERE event_type = 'TraineeRegistered')::int AS registered,
       (SELECT count(*) FROM trainee.import_row_keys)::int AS keys
     FROM trainee.import_jobs WHERE job_id = $1`,
    [jobId],
  );
  return rows[0];
}

describe('imports: a job whose host is killed part way through', () => {
  let database: TestDatabase;
  let sql: Client;
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    // Before any host starts: it sets IDENTITY_SERVICE_URL, which the host processes inherit.
    await testIssuer();
    database = await createTestDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    // Whatever host is still running (a failed test's): stopped, then killed if it does not stop.
    await Promise.all(
      started
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map(async (child) => {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        }),
    );
    await sql?.end();
    await database?.drop();
  }, 60_000);

  it('a job killed with SIGKILL halfway finishes after restart with every row applied exactly once', async () => {
    const issuer = await testIssuer();
    const admin = bearer(await issuer.token({ role: 'platform_admin' }));
    const port = await freePort();
    const first = await startHostProcess(database.url, port, started);

    const provider = await http(first.baseUrl, 'POST', '/api/v1/providers', { name: '株洲新希望焊接技术学校', creditCode: testCreditCode(3001), regionCode: '430200' }, admin);
    expect(provider.status).toBe(201);
    const school = bearer(await issuer.token({ role: 'school_staff', organisationId: provider.body.id }));
    const rows = Array.from({ length: ROWS }, (_, n) => [`学员${n}`, testAdultIdentityNumber(300_000 + n), `139${String(n).padStart(8, '0')}`].join(','));
    const file = { bytes: Buffer.from(['姓名,身份证号,手机号', ...rows].join('\r\n') + '\r\n'), name: '学员名单.csv' };

    const upload = await importClient(first.baseUrl, school).upload(file, { kind: 'trainees' }, '?run=true');
    expect(upload.status).toBe(202);
    const jobId = upload.body.id;

    // Killed once at least 40% of the rows are in: still running, some batches committed and others not.
    const beforeKill = await waitFor(
      async () => {
        const job = await importClient(first.baseUrl, school).job(jobId);
        const underWay = job.state === 'running' && job.done >= ROWS * 0.4;
        return underWay || (job.state !== 'validating' && job.state !== 'running') ? job : undefined;
      },
      { timeoutMs: JOB_MS, intervalMs: 50, description: 'the job to be 40% through its run' },
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(beforeKill).toMatchObject({ state: 'running', total: ROWS });
    expect(beforeKill.done).toBeGreaterThan(0);
    expect(beforeKill.done).toBeLessThan(ROWS);

    // What the killed host left: whole batches only, each with its progress; the batch it was applying left nothing.
    const afterKill = await tablesOf(sql, jobId);
    expect(afterKill.state).toBe('running');
    expect(afterKill.done).toBeGreaterThanOrEqual(beforeKill.done);
    expect(afterKill.done).toBeLessThan(ROWS);
    expect(afterKill.done % BATCH_ROWS).toBe(0);
    expect(afterKill).toMatchObject({ claims: afterKill.done, registered: afterKill.done, keys: afterKill.done });

    // A new host on the same database (and port) takes the job up where the committed batches end.
    const second = await startHostProcess(database.url, port, started);
    let finished: ImportJob | undefined;
    await waitFor(
      async () => {
        finished = await importClient(second.baseUrl, school).job(jobId);
        return finished.state !== 'validating' && finished.state !== 'running';
      },
      { timeoutMs: JOB_MS, intervalMs: 250, description: 'the job to finish on the new host' },
    );
    expect(finished).toMatchObject({ state: 'done', total: ROWS, done: ROWS, created: ROWS, alreadyPresent: 0, corrected: 0, refused: 0 });

    // Exactly once, in the tables: one claim, one registration event, one data key and one import key per row.
    const once = await sql.query<Record<string, number>>(
      `SELECT
         (SELECT count(*) FROM trainee.identity_claims)::int AS claims,
         (SELECT count(DISTINCT trainee_id) FROM trainee.identity_claims)::int AS "claimedTrainees",
         (SELECT count(*) FROM trainee.events WHERE event_type = 'TraineeRegistered')::int AS registered,
         (SELECT count(DISTINCT stream_id) FROM trainee.events WHERE event_type = 'TraineeRegistered')::int AS "registeredStreams",
         (SELECT count(*) FROM trainee.identity_claims c JOIN trainee.events e ON e.stream_id = 'trainee-' || c.trainee_id AND e.event_type = 'TraineeRegistered')::int AS "claimsWithTheirEvent",
         (SELECT count(*) FROM trainee.personal_data_keys)::int AS "dataKeys",
         (SELECT count(*) FROM trainee.import_row_keys WHERE organisation_id = $1 AND kind = 'trainees')::int AS "importKeys",
         (SELECT count(*) FROM trainee.import_job_rows WHERE job_id = $2 AND outcome = 'created')::int AS "rowsCreated",
         (SELECT count(*) FROM trainee.import_job_answers WHERE job_id = $2 AND mode = 'apply')::int AS "batchesAnswered"`,
      [provider.body.id, jobId],
    );
    expect(once.rows[0]).toEqual({
      claims: ROWS,
      claimedTrainees: ROWS,
      registered: ROWS,
      registeredStreams: ROWS,
      claimsWithTheirEvent: ROWS,
      dataKeys: ROWS,
      importKeys: ROWS,
      rowsCreated: ROWS,
      batchesAnswered: ROWS / BATCH_ROWS,
    });
  }, 2 * HOST_START_MS + 2 * JOB_MS);
});
