import { performance } from 'node:perf_hooks';
import { ImportJob, importClient } from '@skills/testing';
import { ImportFile } from './files';
import { phaseBetween, PhaseProfile, snapshot, Snapshot } from './profile';

const POLL_MS = 250;
/** The read model is given up on when it has not grown for this long. */
const STALLED_MS = 120_000;

export interface ImportRun {
  kind: string;
  rows: number;
  job: ImportJob;
  /** Upload (file read, every row prepared and stored) → 202, as the HTTP request took. */
  upload: PhaseProfile;
  /** 202 → `running` first seen (the dry run), polled every 250 ms. */
  dryRun: PhaseProfile;
  /** `running` → `done` (the run), polled. */
  run: PhaseProfile;
  /** `done` → the read model holds every created row. */
  readModel: PhaseProfile;
  /** Upload start → read model complete. */
  total: PhaseProfile;
}

/**
 * One import as a client drives it (`POST /api/v1/imports?run=true`, then polling the job), timed until
 * the owner's read model holds every row: `readModelRows()` counts them.
 */
export async function runImport(options: {
  baseUrl: string;
  headers: Record<string, string>;
  kind: string;
  /** Other fields of the upload besides `kind` (an enrolments file's `courseId`). */
  fields?: Record<string, string>;
  file: ImportFile;
  rows: number;
  readModelRows: () => Promise<number>;
  /**
   * How many of the owner's messages wait in its outbox: logged once the read model is complete (not
   * timed in the total), as the work the run set off that its consumers have still to apply.
   */
  outboxRows?: () => Promise<number>;
  log: (line: string) => void;
}): Promise<ImportRun> {
  const client = importClient(options.baseUrl, options.headers);
  const started = snapshot();
  const upload = await client.upload(options.file, { kind: options.kind, ...options.fields }, '?run=true');
  if (upload.status !== 202) throw new Error(`${options.kind} upload answered ${upload.status}: ${JSON.stringify(upload.body)}`);
  const uploaded = snapshot();
  options.log(`  ${options.kind}: uploaded and prepared in ${seconds(started, uploaded)} s; job ${upload.body.id}`);

  let running: Snapshot | undefined;
  let job: ImportJob;
  for (;;) {
    job = await client.job(upload.body.id);
    if (job.state === 'running' && !running) {
      running = snapshot();
      options.log(`  ${options.kind}: dry run done in ${seconds(uploaded, running)} s (${job.refused} refused); running`);
    }
    if (job.state === 'done') break;
    if (job.state === 'failed' || job.state === 'ready') throw new Error(`${options.kind} job ended ${job.state}: ${JSON.stringify(job)}`);
    await sleep(POLL_MS);
  }
  const done = snapshot();
  // A run shorter than one poll is seen as done straight from validating.
  running ??= done;
  options.log(`  ${options.kind}: done in ${seconds(running, done)} s: ${job.created} created, ${job.alreadyPresent} already present, ${job.refused} refused; job's rowsPerSecond ${job.rowsPerSecond}`);

  let seen = -1;
  let grewAt = performance.now();
  for (;;) {
    const rows = await options.readModelRows();
    if (rows >= job.created) break;
    if (rows > seen) [seen, grewAt] = [rows, performance.now()];
    if (performance.now() - grewAt > STALLED_MS) throw new Error(`${options.kind}: the read model stopped at ${rows} of ${job.created} rows`);
    await sleep(POLL_MS);
  }
  const complete = snapshot();
  options.log(`  ${options.kind}: read model complete ${seconds(done, complete)} s after done`);
  if (options.outboxRows) options.log(`  ${options.kind}: ${await options.outboxRows()} messages still in the outbox then (not yet delivered to their consumers)`);
  return {
    kind: options.kind,
    rows: options.rows,
    job,
    upload: phaseBetween(started, uploaded),
    dryRun: phaseBetween(uploaded, running),
    run: phaseBetween(running, done),
    readModel: phaseBetween(done, complete),
    total: phaseBetween(started, complete),
  };
}

const seconds = (from: Snapshot, to: Snapshot) => ((to.at - from.at) / 1000).toFixed(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
