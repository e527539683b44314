// The gateway in front of stand-in services (one small HTTP server that records what reaches it): what it
// answers itself. Failures are problem details as the services give them, never Express's HTML page with a
// stack; the console's unknown files are a 404 problem; paths match in their own case, as in the services;
// and a service is given longer than its longest rightful wait before the gateway answers 502 for it.
// The routing to real services is e2e/src/gateway.e2e-spec.ts.
import { SERVICE_NAMES, ServiceName } from '@skills/contracts';
import { ConfigurationError, HTTP_SETTINGS_DEFAULTS, KEY_WAIT_MS, loadRuntimeConfig } from '@skills/service-runtime';
import { Request, Response } from 'express';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, get as httpGet, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerFailures, createGateway, LONGEST_SERVICE_WAIT_MS, PROXY_TIMEOUT_MS, proxyTimeoutOf, SERVICE_WAIT_SETTING_MAX_MS } from './gateway';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('gateway, on its own', () => {
  /** The paths that reached the stand-in service. */
  const reached: string[] = [];
  let slowAnswer = 0;
  let unreadableDocs = false;
  let backend: Server;
  let urls: Record<ServiceName, string>;
  let gatewayServer: Server;
  let gateway: string;
  let errors: jest.SpyInstance;

  const consoleDir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1)');

  beforeAll(async () => {
    backend = createServer((request: IncomingMessage, response: ServerResponse) => {
      reached.push(request.url ?? '');
      const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: request.url }));
      if (request.url?.startsWith('/api/v1/trainees/slow')) {
        // Not answered once the gateway gave up on it (it closes the connection).
        const timer = setTimeout(answer, slowAnswer);
        response.on('close', () => clearTimeout(timer));
      } else if (request.url?.startsWith('/api/v1/trainees/cut-off')) {
        // A service that dies mid-answer: its headers and part of its body, then its connection reset.
        response.writeHead(200, { 'content-type': 'application/json' }).write('{"items":[');
        setTimeout(() => response.socket?.resetAndDestroy(), 50);
      } else if (request.url === '/api/docs-json' && unreadableDocs) {
        // Not JSON, and quoting what a service must never let out.
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"example":{"name":王建国}}');
      } else answer();
    });
    const url = await listen(backend);
    urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, url])) as Record<ServiceName, string>;
    gatewayServer = createGateway(urls, undefined, consoleDir).listen(0, '127.0.0.1');
    await new Promise((resolve) => gatewayServer.once('listening', resolve));
    gateway = `http://127.0.0.1:${(gatewayServer.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    reached.length = 0;
    errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => errors.mockRestore());

  afterAll(async () => {
    gatewayServer?.closeAllConnections();
    backend?.closeAllConnections();
    await new Promise((resolve) => gatewayServer?.close(resolve));
    await new Promise((resolve) => backend?.close(resolve));
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const answer = await fetch(`${gateway}${path}`, { headers });
    const text = await answer.text();
    return { status: answer.status, contentType: answer.headers.get('content-type') ?? '', text };
  };

  it('answers a path it cannot decode 400 as a problem, as the services do: no HTML, no stack, nothing logged', async () => {
    for (const path of ['/api/v1/%ZZ/x', '/api/v1/%E0%A4%A/trainees']) {
      const answer = await get(path, { accept: 'text/html' });
      expect(answer).toMatchObject({ status: 400, contentType: expect.stringContaining('application/problem+json') });
      // The all-in-one's answer to the same path (ProblemDetailsFilter).
      expect(JSON.parse(answer.text)).toMatchObject({ type: 'urn:skills:http:400', title: 'bad request', status: 400, detail: expect.any(String) });
      expect(answer.text).not.toMatch(/<html|URIError|\bat [\w.]+ \(/i);
    }
    expect(reached).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
  });

  it("answers the console's files, and 404 as a problem for one that is not there, naming no place on disk", async () => {
    expect((await get('/assets/index-abc123.js')).status).toBe(200);
    for (const path of ['/assets/nope.js', '/assets/%ZZ']) {
      const answer = await get(path);
      expect(answer).toMatchObject({ status: 404, contentType: expect.stringContaining('application/problem+json') });
      expect(JSON.parse(answer.text)).toMatchObject({ type: 'urn:skills:not-found', title: 'Not found', status: 404 });
      expect(answer.text).not.toContain(consoleDir);
    }
    expect(errors).not.toHaveBeenCalled();
  });

  it("answers each administration page of the console, reloaded or bookmarked, with the console, and leaves the operators' /admin endpoints to the services", async () => {
    for (const path of ['/admin', '/admin/organisations', '/admin/users', '/admin/api-keys', '/admin/signing-keys', '/admin/audit', '/admin/users/any']) {
      const answer = await get(path);
      expect({ path, status: answer.status, text: answer.text }).toEqual({ path, status: 200, text: expect.stringContaining('<div id="root">') });
    }
    for (const path of ['/admin/dead-letters', '/admin/identity/signing-keys/rotate', '/admin/signing-keysX']) {
      const answer = await get(path, { accept: 'text/html' });
      expect({ path, root: answer.text.includes('<div id="root">') }).toEqual({ path, root: false });
    }
  });

  it('logs a failure of its own (5xx) by what failed, without the path or query the client sent, and answers a problem', () => {
    const response = { headersSent: false, status: jest.fn().mockReturnThis(), type: jest.fn().mockReturnThis(), send: jest.fn().mockReturnThis() };
    const request = { method: 'GET', path: '/api/v1/trainees', originalUrl: '/api/v1/trainees?q=张三', url: '/api/v1/trainees?q=张三' };
    answerFailures(new Error('lookup failed: "张三"'), request as unknown as Request, response as unknown as Response, jest.fn());
    expect(response.status).toHaveBeenCalledWith(500);
    expect(response.type).toHaveBeenCalledWith('application/problem+json');
    expect(JSON.parse(response.send.mock.calls[0][0])).toMatchObject({ status: 500, type: 'urn:skills:internal' });
    expect(errors).toHaveBeenCalledTimes(1);
    const logged = String(errors.mock.calls[0][0]);
    expect(logged).toContain('lookup failed');
    expect(logged).not.toContain('张三');
    expect(logged).not.toContain('/api/v1/trainees');
  });

  it('matches paths in their own case, as the services do: another spelling is not passed on', async () => {
    expect(await get('/api/v1/trainees')).toMatchObject({ status: 200 });
    expect(reached).toEqual(['/api/v1/trainees']);
    for (const path of ['/API/V1/trainees', '/Api/v1/trainees', '/api/V1/trainees', '/api/v1/Trainees', '/OAUTH/token']) {
      const answer = await get(path);
      expect(`${path} ${answer.status} ${answer.contentType}`).toMatch(/ 404 application\/problem\+json/);
    }
    expect(reached).toEqual(['/api/v1/trainees']);
  });

  it("waits longer for a service than the service's longest rightful wait, whatever the deployment sets", () => {
    // What runtime-config.ts accepts at most for CATCH_UP_WAIT_MS, REPLICA_WAIT_MS and PUBLICATION_WAIT_MS.
    for (const setting of ['CATCH_UP_WAIT_MS', 'REPLICA_WAIT_MS', 'PUBLICATION_WAIT_MS']) {
      const env = { TRANSPORT: 'in-process', DATABASE_URL: 'postgres://unused@127.0.0.1:1/none' };
      expect(() => loadRuntimeConfig({ ...env, [setting]: String(SERVICE_WAIT_SETTING_MAX_MS) })).not.toThrow();
      expect(() => loadRuntimeConfig({ ...env, [setting]: String(SERVICE_WAIT_SETTING_MAX_MS + 1) })).toThrow(ConfigurationError);
    }
    // A repeat of a command whose Idempotency-Key another request holds waits KEY_WAIT_MS, then answers 409.
    expect(LONGEST_SERVICE_WAIT_MS).toBeGreaterThanOrEqual(KEY_WAIT_MS + 3 * SERVICE_WAIT_SETTING_MAX_MS);
    expect(PROXY_TIMEOUT_MS).toBeGreaterThanOrEqual(LONGEST_SERVICE_WAIT_MS + 10_000);
    // What a gateway waits for unless told otherwise (main.ts tells it nothing): that timeout.
    expect(proxyTimeoutOf()).toBe(PROXY_TIMEOUT_MS);
    expect(proxyTimeoutOf(HTTP_SETTINGS_DEFAULTS)).toBe(PROXY_TIMEOUT_MS);
    expect(proxyTimeoutOf({ ...HTTP_SETTINGS_DEFAULTS, trustProxy: 'loopback' })).toBe(PROXY_TIMEOUT_MS);
  });

  it('passes on an answer that comes within its proxy timeout, however slow, and answers 502 for one that comes after it', async () => {
    // The proxy timeout at work, made short: the default (PROXY_TIMEOUT_MS, above) is longer than a test may take.
    const proxyTimeoutMs = 2_000;
    const hasty = createGateway(urls, { ...HTTP_SETTINGS_DEFAULTS, proxyTimeoutMs }).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => hasty.once('listening', resolve));
      const through = async () => {
        const answer = await fetch(`http://127.0.0.1:${(hasty.address() as AddressInfo).port}/api/v1/trainees/slow`);
        return { status: answer.status, text: await answer.text() };
      };
      slowAnswer = proxyTimeoutMs / 20;
      expect(await through()).toEqual({ status: 200, text: JSON.stringify({ url: '/api/v1/trainees/slow' }) });
      slowAnswer = proxyTimeoutMs * 10;
      const late = await through();
      expect(late.status).toBe(502);
      expect(JSON.parse(late.text)).toMatchObject({ status: 502, title: 'Bad gateway', detail: expect.stringMatching(/did not answer$/) });
      expect(reached).toEqual(['/api/v1/trainees/slow', '/api/v1/trainees/slow']);
    } finally {
      hasty.closeAllConnections();
      await new Promise((resolve) => hasty.close(resolve));
    }
  });

  it('cuts the client’s connection when a service dies mid-answer, rather than leave it waiting on a truncated 200', async () => {
    // node:http judges the body by its framing (a chunked body without its last chunk is incomplete), as
    // browsers and curl do; fetch (undici) takes a body cut at a chunk's end on a `Connection: close` answer for whole.
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<string>((resolve) => {
      const request = httpGet(`${gateway}/api/v1/trainees/cut-off`, (answer) => {
        answer.resume();
        answer.on('error', () => undefined);
        answer.on('close', () => resolve(`${answer.statusCode} ${answer.complete ? 'complete' : 'cut'}`));
      });
      request.on('error', () => resolve('no answer'));
      timer = setTimeout(() => {
        resolve('still waiting');
        request.destroy();
      }, 3_000);
    }).finally(() => clearTimeout(timer));
    expect(outcome).toBe('200 cut');
  });

  it('answers a fixed 502 when a service’s OpenAPI document is unreadable, quoting none of it, and logs why', async () => {
    unreadableDocs = true;
    try {
      const answer = await get('/api/docs-json');
      expect(answer).toMatchObject({ status: 502, contentType: expect.stringContaining('application/problem+json') });
      expect(JSON.parse(answer.text)).toEqual({ type: 'urn:skills:bad-gateway', title: 'Bad gateway', status: 502, detail: 'the API documentation is unavailable; try again later' });
      // Each service here is the stand-in: each is logged, by name.
      expect(errors).toHaveBeenCalledTimes(SERVICE_NAMES.length);
      for (const [logged] of errors.mock.calls) {
        expect(String(logged)).toMatch(/^gateway: [\w-]+ did not give its OpenAPI document: SyntaxError: .* is not valid JSON/);
        expect(String(logged)).not.toMatch(/王|建国/);
      }
    } finally {
      unreadableDocs = false;
    }
  });
});
