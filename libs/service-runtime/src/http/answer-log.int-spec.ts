// What an operator finds of each answer (createHost, as every service and the platform build theirs), in a
// host run as a process of its own at LOG_LEVEL info (its stdout read back):
// - a refusal (4xx) is logged once it is sent, with its status and the id X-Correlation-Id answered, but no
//   query or body (a name searched or sent); a success is not, at info;
// - every answer names its request in X-Correlation-Id, one refused before any handler (malformed JSON) too;
// - a 500 says that id in its body, for the user to quote, and its log line carries it.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@skills/testing';

const ROOT = join(__dirname, '..', '..', '..', '..');
/** The host's requests a minute from one address: more than the tests before the last send, which passes it. */
const RATE_LIMIT = 20;

describe('the log line and the id of each answer', () => {
  let host: ChildProcess;
  let baseUrl: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    host = spawn(process.execPath, ['-r', './tools/register.js', 'libs/service-runtime/src/http/__fixtures__/logged-host.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(RATE_LIMIT) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    host.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const complete = out.split('\n');
      out = complete.pop() ?? '';
      for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line));
    });
    const port = await new Promise<string>((listening, failed) => {
      let err = '';
      host.stderr?.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const found = /listening (\d+)/.exec(err);
        if (found) listening(found[1]);
      });
      host.on('exit', (code) => failed(new Error(`the host exited (${code}): ${err}`)));
    });
    baseUrl = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(() => {
    host?.kill('SIGKILL');
  });

  const loggedWith = (correlationId: string) => waitFor(() => lines.find((line) => line.correlationId === correlationId && (line.res as { statusCode?: number } | undefined)?.statusCode !== undefined), { description: `a log line of ${correlationId}` });

  it('logs a refusal with its status and id, and neither its query nor its body', async () => {
    const answer = await fetch(`${baseUrl}/api/v1/notes?q=%E5%BC%A0%E4%B8%89`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 13900001111, name: '张三' }) });
    expect(answer.status).toBe(400);
    const correlationId = answer.headers.get('x-correlation-id') ?? '';
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await loggedWith(correlationId);
    expect(line).toMatchObject({ level: 30, req: { method: 'POST', path: '/api/v1/notes' }, res: { statusCode: 400 } });
    expect(JSON.stringify(line)).not.toMatch(/张三|%E5|13900001111/);
  });

  it('names a request refused before any handler (malformed JSON) in X-Correlation-Id, and logs it so', async () => {
    const answer = await fetch(`${baseUrl}/api/v1/notes?q=%E5%BC%A0`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": "张三' });
    expect(answer.status).toBe(400);
    const correlationId = answer.headers.get('x-correlation-id') ?? '';
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await loggedWith(correlationId);
    expect(line).toMatchObject({ level: 30, req: { method: 'POST', path: '/api/v1/notes' }, res: { statusCode: 400 } });
    expect(JSON.stringify(line)).not.toMatch(/张三|%E5/);
  });

  it('does not log a success at info', async () => {
    const answer = await fetch(`${baseUrl}/api/v1/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'fine' }) });
    expect(answer.status).toBe(201);
    const correlationId = answer.headers.get('x-correlation-id') ?? '';
    // The refusal sent after it is logged: by then, the success would have been too.
    const refused = await fetch(`${baseUrl}/api/v1/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await loggedWith(refused.headers.get('x-correlation-id') ?? '');
    expect(lines.filter((line) => line.correlationId === correlationId)).toEqual([]);
  });

  it('gives a 500 its id in the body, the one its log line carries', async () => {
    const answer = await fetch(`${baseUrl}/api/v1/notes/broken`);
    expect(answer.status).toBe(500);
    const correlationId = answer.headers.get('x-correlation-id') ?? '';
    expect(await answer.json()).toMatchObject({ type: 'urn:skills:internal', status: 500, correlationId });
    await waitFor(() => lines.find((line) => line.correlationId === correlationId && line.level === 50), { description: 'the 500 logged as an error with its id' });
  });

  // Last: it spends the address's requests of the minute.
  it('logs the rate limit’s 429s, answered before the routes, with their ids', async () => {
    const answers = await Promise.all(Array.from({ length: RATE_LIMIT }, () => fetch(`${baseUrl}/api/v1/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })));
    const limited = answers.find((answer) => answer.status === 429);
    if (!limited) throw new Error(`no 429 among ${answers.map((answer) => answer.status).join(', ')}`);
    const line = await loggedWith(limited.headers.get('x-correlation-id') ?? '');
    expect(line).toMatchObject({ level: 30, res: { statusCode: 429 } });
  });
});
