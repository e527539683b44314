// npm run import -- FILE --kind trainees|enrolments_and_results|certificates [--course ID] --url URL
//   --api-key CLIENT_ID:CLIENT_SECRET [--run] [--skip-refused] [--errors OUT.csv]
// Uploads a file to import (api.md "Imports") with an organisation's API key, follows the job with a
// progress bar on stderr, prints the counts on stdout. Without --run it stops after the dry run (nothing
// written). Exit code: 0 done (or checked) with no row refused, or --help; 2 some rows refused; 1 anything
// else, a mistaken argument among them (one line saying what, then the usage).
import type { ImportJobAnswer } from '@skills/contracts';
import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

const KINDS = ['trainees', 'enrolments_and_results', 'certificates'];
const POLL_MS = 1000;
const BAR_WIDTH = 30;
const EXIT = { clean: 0, failed: 1, refused: 2 } as const;
/** The refused rows name people (names, identity numbers, phones): readable by the user alone, as a backup's files are. */
const PRIVATE_FILE = 0o600;

const USAGE =
  'usage: npm run import -- FILE --kind trainees|enrolments_and_results|certificates [--course ID] --url URL --api-key CLIENT_ID:CLIENT_SECRET [--run] [--skip-refused] [--errors OUT.csv]\n' +
  '       (the API key may also be given in IMPORT_API_KEY, which keeps the secret out of the shell history)';

const OPTIONS = {
  kind: { type: 'string' },
  course: { type: 'string' },
  url: { type: 'string', default: 'http://localhost:3000' },
  'api-key': { type: 'string' },
  run: { type: 'boolean', default: false },
  'skip-refused': { type: 'boolean', default: false },
  errors: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

type Job = ImportJobAnswer;

/** What the user is told in one line, with exit code 1: a bad argument, a refusal, an unreachable server. */
class Stop extends Error {}

/** A mistaken command line: what is wrong, then how it is written. */
const misused = (what: string) => new Stop(`${what}\n${USAGE}`);

/** Asked for the usage (--help, -h): printed on stdout, exit 0, whatever else the line holds. */
class Help extends Error {}

/** The options as given, unchecked: what --help and the mistakes are read from. */
const loosely = (argv: string[]) => parseArgs({ args: argv, options: OPTIONS, strict: false, tokens: true });

/**
 * The first mistake in the options, in words a user reads. The strict parse would throw its own TypeError,
 * written for programmers and shown with its stack; a loose parse's tokens say the same things quietly. No
 * value is ever repeated back: a misspelled --api-key carries the secret.
 */
function mistake(tokens: ReturnType<typeof loosely>['tokens']): string | undefined {
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (!Object.hasOwn(OPTIONS, token.name)) return `unknown option ${token.rawName}`;
    const type = OPTIONS[token.name as keyof typeof OPTIONS].type;
    // `--errors --run` gives --errors the value "--run" in a loose parse; the strict one calls it ambiguous.
    const missing = token.value === undefined || (!token.inlineValue && token.value.startsWith('-'));
    if (type === 'string' && missing) return `${token.rawName} needs a value`;
    if (type === 'boolean' && token.value !== undefined) return `${token.rawName} takes no value`;
  }
  return undefined;
}

/** The server's address: http or https, checked here, where a bad one would otherwise fail deep inside a request. */
function serverUrl(value: string): string {
  // The value is not echoed: a key pasted into the wrong place would be printed.
  const bad = misused('--url must be an http or https URL, such as http://localhost:3000');
  if (!URL.canParse(value)) throw bad;
  if (!['http:', 'https:'].includes(new URL(value).protocol)) throw bad;
  return value.replace(/\/+$/, '');
}

function options(argv: string[]) {
  const loose = loosely(argv);
  if (loose.values.help === true) throw new Help();
  const wrong = mistake(loose.tokens);
  if (wrong) throw misused(wrong);
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [file] = positionals;
  const apiKey = values['api-key'] ?? process.env.IMPORT_API_KEY ?? '';
  const colon = apiKey.indexOf(':');
  if (!file || positionals.length > 1) throw misused('one file to import, please');
  if (!values.kind || !KINDS.includes(values.kind)) throw misused(`--kind must be one of ${KINDS.join(', ')}`);
  if (values.kind === 'enrolments_and_results' && !values.course) throw misused('--course is needed for enrolments_and_results');
  if (colon <= 0) throw misused('--api-key must be CLIENT_ID:CLIENT_SECRET');
  return {
    file,
    kind: values.kind,
    course: values.course,
    url: serverUrl(values.url),
    clientId: apiKey.slice(0, colon),
    clientSecret: apiKey.slice(colon + 1),
    run: values.run,
    skipRefused: values['skip-refused'],
    errors: values.errors,
  };
}

type Options = ReturnType<typeof options>;

/** A problem answer (RFC 9457) in one line: its detail, and the field and rule of each error, or its rule. */
async function refusal(response: Response, what: string): Promise<Stop> {
  const text = await response.text();
  let problem: { detail?: string; title?: string; rule?: string; errors?: { field?: string; rule?: string }[] } = {};
  try {
    problem = JSON.parse(text);
  } catch {
    // Not a problem (a proxy's page): the status says enough.
  }
  const rules = problem.errors?.length ? problem.errors.map((error) => `${error.field ?? '?'}: ${error.rule ?? '?'}`).join(', ') : problem.rule;
  return new Stop(`${what} refused (${response.status}): ${problem.detail ?? problem.title ?? response.statusText}${rules ? ` [${rules}]` : ''}`);
}

/** The API, with an access token from the client-credentials grant, fetched again once if it expires mid-job. */
function client(settings: Options) {
  let token: Promise<string> | undefined;
  const newToken = async () => {
    const response = await reach(`${settings.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: settings.clientId, client_secret: settings.clientSecret }),
    });
    if (!response.ok) throw await refusal(response, 'the API key was');
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const call = async (path: string, init: RequestInit = {}, renewed = false): Promise<Response> => {
    token ??= newToken();
    const response = await reach(`${settings.url}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${await token}` } });
    if (response.status !== 401 || renewed) return response;
    token = undefined;
    return call(path, init, true);
  };
  return call;
}

async function reach(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new Stop(`cannot reach ${new URL(url).origin}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}`);
  }
}

/**
 * Writes a file only its owner reads. The mode given to open applies to a new file alone: one left by an
 * earlier run (0644, say) is narrowed before the rows go in. Not a regular file (/dev/stdout): left as it is.
 */
async function writePrivately(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, 'w', PRIVATE_FILE);
  try {
    if ((await handle.stat()).isFile()) await handle.chmod(PRIVATE_FILE);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

/** The job's refused rows, with their reasons, into `path` (readable by the user alone). */
async function saveRefusedRows(call: ReturnType<typeof client>, id: string, path: string): Promise<void> {
  const errors = await call(`/api/v1/imports/${id}/errors`);
  if (!errors.ok) throw await refusal(errors, 'reading the refused rows was');
  await writePrivately(path, Buffer.from(await errors.arrayBuffer()));
}

const count = (value: number) => value.toLocaleString('en-US');

/** One line, drawn over itself: `[#####     ] 500/1,000 rows · 1,234 rows/s`. */
function progressLine(job: Job): string {
  if (job.state === 'validating') return `checking ${count(job.total)} rows…`;
  if (job.waitingFor) return `waiting for import ${job.waitingFor} of the same kind, asked to run before this one or already applying…`;
  const share = job.total ? Math.min(job.done / job.total, 1) : 1;
  const filled = Math.round(share * BAR_WIDTH);
  const rate = job.rowsPerSecond === null ? '' : ` · ${count(job.rowsPerSecond)} rows/s`;
  return `[${'#'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${count(job.done)}/${count(job.total)} rows${rate}`;
}

/** Reads the job every POLL_MS, drawing its progress, until it rests: ready, done or failed. */
async function follow(call: ReturnType<typeof client>, id: string): Promise<Job> {
  let drawn = '';
  for (;;) {
    const answer = await call(`/api/v1/imports/${id}`);
    if (!answer.ok) throw await refusal(answer, 'reading the job was');
    const job = (await answer.json()) as Job;
    const line = progressLine(job);
    if (line !== drawn) process.stderr.write(`\r${line.padEnd(drawn.length)}`);
    drawn = line;
    if (job.state !== 'validating' && job.state !== 'running') {
      process.stderr.write('\n');
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function main(argv: string[]): Promise<number> {
  const settings = options(argv);
  const bytes = await readFile(settings.file).catch((error: NodeJS.ErrnoException) => {
    throw new Stop(`cannot read ${settings.file}: ${error.code ?? error.message}`);
  });
  const call = client(settings);

  const form = new FormData();
  form.append('kind', settings.kind);
  if (settings.course) form.append('courseId', settings.course);
  form.append('file', new Blob([bytes]), basename(settings.file));
  const uploaded = await call('/api/v1/imports', { method: 'POST', body: form });
  if (!uploaded.ok) throw await refusal(uploaded, 'the file was');
  const { id } = (await uploaded.json()) as { id: string };

  // The dry run first; then the run, when asked and when no row was refused or refused rows may be left out.
  let job = await follow(call, id);
  if (job.state === 'ready' && settings.run && (job.refused === 0 || settings.skipRefused)) {
    const run = await call(`/api/v1/imports/${id}/run${settings.skipRefused ? '?skipRefused=true' : ''}`, { method: 'POST' });
    if (!run.ok) throw await refusal(run, 'running the import was');
    job = await follow(call, id);
  }

  const counts = `${count(job.total)} rows: created ${count(job.created)} · already present ${count(job.alreadyPresent)} · corrected ${count(job.corrected)} · refused ${count(job.refused)}`;
  if (job.state === 'failed') {
    // Its reason first: the refused rows fetched after it may be refused too, and must not hide why the job failed.
    console.log(`import ${id} failed: ${job.failure ?? 'no reason given'} (${counts})`);
    if (settings.errors) {
      await saveRefusedRows(call, id, settings.errors).catch((error: Error) => {
        if (!(error instanceof Stop)) throw error;
        process.stderr.write(`${error.message}\n`);
      });
    }
    return EXIT.failed;
  }
  if (settings.errors) await saveRefusedRows(call, id, settings.errors);
  const refusedHint = job.refused ? `; the refused rows ${settings.errors ? `are in ${settings.errors}` : 'with their reasons: --errors OUT.csv'}` : '';
  if (job.state === 'ready') {
    const next = job.refused && settings.run ? 'nothing written: correct the file, or run again with --skip-refused' : 'nothing written (dry run): run again with --run';
    console.log(`import ${id} checked, ${counts}; ${next}${refusedHint}`);
  } else {
    console.log(`import ${id} done, ${counts}${refusedHint}`);
  }
  return job.refused ? EXIT.refused : EXIT.clean;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof Help) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    process.stderr.write(`${error instanceof Stop ? error.message : (error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
