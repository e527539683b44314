// Running schemathesis (tools/fuzz) against a test host and reading what it found: the config it is
// given (which caller and which real resources each operation gets), the child process, and its NDJSON
// events turned into one line per failure and the statuses each operation answered.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A dictionary of real values for a parameter, drawn with this probability (the rest stays fuzzed). */
export interface Binding {
  dictionary: string;
  probability: number;
}

export interface OperationConfig {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** `path.id`, `body.traineeId`, … as schemathesis names parameters. */
  parameters: Record<string, Binding>;
}

export interface FuzzConfig {
  maxSeconds: number;
  workers: number;
  checks: string[];
  dictionaries: Record<string, string[]>;
  /** Bindings for every operation whose body or query has that parameter. */
  parameters: Record<string, Binding>;
  operations: OperationConfig[];
}

// JSON strings are valid TOML basic strings, and a JSON object of them is close enough to an inline table.
const value = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(value).join(', ')}]` : typeof v === 'object' && v !== null ? `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} = ${value(x)}`).join(', ')} }` : JSON.stringify(v);

/** schemathesis.toml for the run (schemathesis 4: `[[operations]]` with its own headers and parameters). */
export function toToml(config: FuzzConfig): string {
  return [
    `max-time = ${config.maxSeconds}`,
    `workers = ${config.workers}`,
    `parameters = ${value(config.parameters)}`,
    ...Object.entries(config.dictionaries).flatMap(([name, values]) => [`[dictionaries.${JSON.stringify(name)}]`, `values = ${value(values)}`]),
    ...config.operations.flatMap((operation) => [
      '[[operations]]',
      // One filter on the name (`METHOD /path`): include-method and include-path would match either.
      `include-name = ${value(`${operation.method} ${operation.path}`)}`,
      `headers = ${value(operation.headers)}`,
      `parameters = ${value(operation.parameters)}`,
    ]),
  ].join('\n');
}

export interface FuzzRun {
  exitCode: number | null;
  /** What st printed, for a run that failed without failures (a bad config, a schema it cannot load). */
  output: string;
  reportDir: string;
  /** Its NDJSON events. */
  events: string;
}

/** `st run` on the document at `schemaUrl`; its config, reports (NDJSON, JUnit), output (st.log) and cache in `reportDir`. */
export function runSchemathesis(st: string, schemaUrl: string, baseUrl: string, config: FuzzConfig, reportDir: string): Promise<FuzzRun> {
  const configFile = join(reportDir, 'schemathesis.toml');
  const events = join(reportDir, 'events.ndjson');
  writeFileSync(configFile, toToml(config));
  const seed = process.env.FUZZ_SEED ? ['--seed', process.env.FUZZ_SEED] : [];
  const reports = ['--report', 'ndjson,junit', '--report-ndjson-path', events, '--report-junit-path', join(reportDir, 'junit.xml')];
  const args = ['--config-file', configFile, 'run', schemaUrl, '--url', baseUrl, '--checks', config.checks.join(','), ...reports, '--no-color', ...seed];
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the host answering the fuzzer runs in this very process. In reportDir,
    // because st keeps a cache (.schemathesis/) in its working directory.
    const child = spawn(st, args, { cwd: reportDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (exitCode) => {
      writeFileSync(join(reportDir, 'st.log'), output);
      resolve({ exitCode, output, reportDir, events });
    });
  });
}

export interface Failure {
  operation: string;
  check: string;
  title: string;
  status: number | undefined;
  /** The request as a curl command; the token is left for the reader to fill in ($TOKEN). */
  curl: string | undefined;
}

export interface Findings {
  failures: Failure[];
  /** Per operation (`METHOD /path`), the statuses it answered. */
  statuses: Map<string, Set<number>>;
}

interface Interaction {
  request: { method: string; uri: string; headers: Record<string, string[]>; body?: { $base64: string } };
  response?: { status_code: number };
}

interface Recorder {
  label: string;
  checks?: Record<string, Array<{ name: string; status: string; failure_info?: { failure: { title: string; message: string } } }>>;
  interactions?: Record<string, Interaction>;
}

const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function curlOf({ request }: Interaction): string {
  const headers = Object.entries(request.headers).flatMap(([name, values]) =>
    values.map((value) => ['-H', quoted(`${name}: ${value === '[Filtered]' ? 'Bearer $TOKEN' : value}`)]),
  );
  const body = request.body ? ['--data-binary', quoted(Buffer.from(request.body.$base64, 'base64').toString('utf8'))] : [];
  return ['curl', '-X', request.method, ...headers.flat(), ...body, quoted(request.uri)].join(' ');
}

/** schemathesis's NDJSON events: one `ScenarioFinished` per scenario, with its checks and its requests. */
interface FuzzEvent {
  NonFatalError?: { label: string; value: { type: string; message: string } };
  ScenarioFinished?: { recorder: Recorder };
}

function eventsOf(path: string): FuzzEvent[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/**
 * The failed checks, once per operation, check and status (the first request that failed it), errors
 * schemathesis met on an operation (an invalid schema) as failures of their own, and the statuses each
 * operation answered.
 */
export function findings(run: FuzzRun): Findings {
  const failures = new Map<string, Failure>();
  const statuses = new Map<string, Set<number>>();
  const failed = (failure: Failure) => {
    const key = `${failure.operation} ${failure.check} ${failure.status} ${failure.title}`;
    if (!failures.has(key)) failures.set(key, failure);
  };
  for (const event of eventsOf(run.events)) {
    if (event.NonFatalError) {
      const { label, value } = event.NonFatalError;
      failed({ operation: label, check: 'error', title: `${value.type}: ${value.message}`, status: undefined, curl: undefined });
    }
    const recorder = event.ScenarioFinished?.recorder;
    if (!recorder) continue;
    const answered = statuses.get(recorder.label) ?? statuses.set(recorder.label, new Set()).get(recorder.label) as Set<number>;
    for (const [caseId, checks] of Object.entries(recorder.checks ?? {})) {
      const interaction = recorder.interactions?.[caseId];
      const status = interaction?.response?.status_code;
      if (status !== undefined) answered.add(status);
      for (const check of checks.filter((c) => c.status === 'failure')) {
        const failure = check.failure_info?.failure;
        failed({ operation: recorder.label, check: check.name, title: failure ? `${failure.title}: ${failure.message}`.replace(/\s+/g, ' ').slice(0, 300) : '', status, curl: interaction && curlOf(interaction) });
      }
    }
  }
  return { failures: [...failures.values()], statuses };
}
