// Security headers, CORS, OPTIONS and rate limits on a real host (createHost, as every service and the
// platform build theirs) holding one small controller; no database is touched. Client addresses are
// told in X-Forwarded-For, which the host believes from 127.0.0.1 (as from the gateway).
import { Controller, Get, INestApplication, Module, Post } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { testIssuer, TestIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CurrentCaller } from '../auth/auth.guard';
import { Permission, Public } from '../auth/permissions';
import { createHost } from '../bootstrap';
import { ConfigurationError, HTTP_SETTINGS_DEFAULTS, loadRuntimeConfig } from '../runtime-config';

@Controller('api/v1/probes')
class ProbeController {
  @Get()
  @Public()
  list() {
    return [];
  }

  @Post()
  @Public()
  create() {
    return {};
  }

  @Get('mine')
  @Permission('me:read')
  mine(@CurrentCaller() caller: Caller) {
    return { userId: caller.userId };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const BASE_ENV = { TRANSPORT: 'in-process', DATABASE_URL: 'postgres://unused@127.0.0.1:1/none', LOG_LEVEL: 'warn', PORT: '0' };
const CONSOLE = 'https://console.example.org';

/** The parts of the OpenAPI document these tests read. */
interface OpenApiShape {
  components: { responses: Record<string, { headers: Record<string, unknown>; content: Record<string, { schema: { properties: Record<string, { enum?: unknown[] }> } }> }> };
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

async function startHost(env: Record<string, string> = {}): Promise<{ app: INestApplication; baseUrl: string }> {
  const config = loadRuntimeConfig({ ...BASE_ENV, ...env });
  const app = await createHost({ title: 'http hygiene', clientId: 'http-hygiene', config, modules: [ProbeModule] });
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

let nextAddress = 1;
/** A client address of its own (TEST-NET-3), so that one test's requests never count against another's. */
const freshAddress = () => ({ 'x-forwarded-for': `203.0.113.${nextAddress++}` });

function expectSecurityHeaders(headers: Headers) {
  expect(headers.get('x-powered-by')).toBeNull();
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('upgrade-insecure-requests');
}

const directive = (csp: string, name: string) => csp.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${name} `)) ?? '';

describe('HTTP hygiene, default settings', () => {
  let host: { app: INestApplication; baseUrl: string };

  beforeAll(async () => (host = await startHost()));
  afterAll(() => host?.app.close());

  it('sends the security headers and no X-Powered-By on answers, problems and unknown paths alike', async () => {
    for (const [path, status] of [
      ['/api/v1/probes', 200],
      ['/api/v1/probes/mine', 401],
      ['/api/v1/nothing-here', 404],
      ['/health/live', 200],
    ] as const) {
      const answer = await fetch(`${host.baseUrl}${path}`);
      expect(answer.status).toBe(status);
      expectSecurityHeaders(answer.headers);
      // The API's answers are the caller's own: kept by no cache (a shared computer's browser after sign-out).
      expect(answer.headers.get('cache-control')).toBe(path.startsWith('/api/') ? 'no-store' : null);
    }
  });

  it('serves Swagger UI at /api/docs under a CSP it works with: its own scripts only, inline styles allowed', async () => {
    const page = await fetch(`${host.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page.headers);
    const csp = page.headers.get('content-security-policy') ?? '';
    const html = await page.text();
    // No inline script (script-src 'self' would block it): every script is a file of the same origin.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    expect(directive(csp, 'script-src')).not.toContain('unsafe-inline');
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
      const url = new URL(src ?? 'missing', page.url);
      expect(url.origin).toBe(host.baseUrl);
      const script = await fetch(url);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('javascript');
      expect((await script.text()).length).toBeGreaterThan(0);
    }
    // The page's own <style> blocks and Swagger UI's style attributes and data: icons.
    if (/<style/.test(html)) expect(directive(csp, 'style-src')).toContain("'unsafe-inline'");
    expect(directive(csp, 'img-src')).toContain('data:');
    for (const [, href] of html.matchAll(/<link[^>]+href=["']([^"']+\.css)["']/g)) {
      const url = new URL(href, page.url);
      expect(url.origin).toBe(host.baseUrl);
      expect((await fetch(url)).status).toBe(200);
    }
    // The document the page loads, from this origin (connect-src falls back to default-src 'self').
    const init = await (await fetch(`${host.baseUrl}/api/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('SwaggerUIBundle');
    expect((await fetch(`${host.baseUrl}/api/docs-json`)).status).toBe(200);
  });

  it('documents a 429 with Retry-After on every operation', async () => {
    const document = (await (await fetch(`${host.baseUrl}/api/docs-json`)).json()) as OpenApiShape;
    expect(document.components.responses.RateLimited.headers['Retry-After']).toBeDefined();
    expect(document.components.responses.RateLimited.content['application/problem+json'].schema.properties.rule.enum).toEqual(['rate_limited']);
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThanOrEqual(3);
    for (const operation of operations) expect(operation.responses['429']).toEqual({ $ref: '#/components/responses/RateLimited' });
  });

  it('answers OPTIONS on a path with routes 204 with Allow, and an unknown path 404', async () => {
    const options = await fetch(`${host.baseUrl}/api/v1/probes`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expectSecurityHeaders(options.headers);
    const item = await fetch(`${host.baseUrl}/api/v1/probes/mine`, { method: 'OPTIONS' });
    expect(item.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await fetch(`${host.baseUrl}/api/v1/nothing-here`, { method: 'OPTIONS' })).status).toBe(404);
  });

  it('sends no CORS header when CORS_ORIGINS is not set, to a preflight or a request from any origin', async () => {
    const preflight = await fetch(`${host.baseUrl}/api/v1/probes`, { method: 'OPTIONS', headers: { origin: CONSOLE, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    const answer = await fetch(`${host.baseUrl}/api/v1/probes`, { headers: { origin: CONSOLE } });
    for (const headers of [preflight.headers, answer.headers]) {
      expect([...headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('HTTP hygiene, configured: CORS for one origin and low rate limits', () => {
  const PER_ADDRESS = 5;
  const PER_USER = 3;
  let host: { app: INestApplication; baseUrl: string };
  let issuer: TestIssuer;

  beforeAll(async () => {
    // Before the host: it trusts this issuer's keys (IDENTITY_SERVICE_URL).
    issuer = await testIssuer();
    host = await startHost({ CORS_ORIGINS: `${CONSOLE},http://localhost:5173`, RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(PER_ADDRESS), RATE_LIMIT_PER_USER_PER_MINUTE: String(PER_USER) });
  });
  afterAll(() => host?.app.close());

  const get = (path: string, headers: Record<string, string>) => fetch(`${host.baseUrl}${path}`, { headers });

  async function expectRateLimited(answer: Response, limit: number) {
    expect(answer.status).toBe(429);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(answer.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await answer.json()).toMatchObject({ type: 'urn:skills:http:429', status: 429, rule: 'rate_limited', limit, retryAfter });
    expectSecurityHeaders(answer.headers);
  }

  it('answers a preflight from an allowed origin with the CORS headers, and one from another origin with none', async () => {
    const address = freshAddress();
    const preflight = (origin: string) =>
      fetch(`${host.baseUrl}/api/v1/probes`, {
        method: 'OPTIONS',
        headers: { ...address, origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
      });
    const allowed = await preflight(CONSOLE);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization, content-type, idempotency-key');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const other = await preflight('https://elsewhere.example.com');
    expect(other.status).toBe(204);
    expect(other.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect([...other.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(other.headers.get('vary')).toContain('Origin');
  });

  it('lets the allowed origin read the answer and its headers', async () => {
    const answer = await get('/api/v1/probes', { ...freshAddress(), origin: 'http://localhost:5173' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(answer.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expectSecurityHeaders(answer.headers);
  });

  it('limits each client address: the request past the limit is a 429 problem with Retry-After, another address goes on', async () => {
    const address = freshAddress();
    for (let i = 0; i < PER_ADDRESS; i++) expect((await get('/api/v1/probes', address)).status).toBe(200);
    await expectRateLimited(await get('/api/v1/probes', address), PER_ADDRESS);
    // Every request counts, OPTIONS and unknown paths too: nothing gets through once the limit is reached.
    await expectRateLimited(await fetch(`${host.baseUrl}/api/v1/nothing-here`, { method: 'OPTIONS', headers: address }), PER_ADDRESS);
    expect((await get('/api/v1/probes', freshAddress())).status).toBe(200);
  });

  it('limits each user, whichever address they call from: a second user at the same address goes on', async () => {
    const secondId = randomUUID();
    const first = { authorization: `Bearer ${await issuer.token({ role: 'platform_admin', userId: randomUUID() })}` };
    const second = { authorization: `Bearer ${await issuer.token({ role: 'platform_admin', userId: secondId })}` };
    const shared = freshAddress();
    // Spread over addresses, the user's requests still add up.
    for (let i = 0; i < PER_USER; i++) {
      const answer = await get('/api/v1/probes/mine', { ...first, ...freshAddress() });
      expect(answer.status).toBe(200);
    }
    await expectRateLimited(await get('/api/v1/probes/mine', { ...first, ...shared }), PER_USER);
    const other = await get('/api/v1/probes/mine', { ...second, ...shared });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ userId: secondId });
  });

  it('keys the user limit on the verified caller: an unverified token spends nobody’s allowance', async () => {
    const victim = randomUUID();
    const token = await issuer.token({ role: 'platform_admin', userId: victim });
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: victim, role: 'platform_admin' })).toString('base64url');
    const forged = { authorization: `Bearer ${header}.${payload}.${signature}` };
    for (let i = 0; i < PER_USER + 2; i++) expect((await get('/api/v1/probes/mine', { ...forged, ...freshAddress() })).status).toBe(401);
    expect((await get('/api/v1/probes/mine', { authorization: `Bearer ${token}`, ...freshAddress() })).status).toBe(200);
  });
});

describe('HTTP settings from the environment', () => {
  const load = (env: Record<string, string>) => loadRuntimeConfig({ ...BASE_ENV, ...env });

  it('defaults to no CORS and limits well above what the demo loader and the benchmarks send', () => {
    expect(load({})).toMatchObject(HTTP_SETTINGS_DEFAULTS);
    expect(HTTP_SETTINGS_DEFAULTS).toEqual({ rateLimitPerAddressPerMinute: 30_000, rateLimitPerUserPerMinute: 15_000, corsOrigins: [], trustProxy: 'loopback, linklocal, uniquelocal' });
    // Whose X-Forwarded-For is believed: the environment's, else the host's default (the all-in-one's: the loopback only).
    expect(load({ TRUST_PROXY: '10.0.0.0/8, loopback' })).toMatchObject({ trustProxy: '10.0.0.0/8, loopback' });
    expect(loadRuntimeConfig(BASE_ENV, { trustProxy: 'loopback' })).toMatchObject({ trustProxy: 'loopback' });
    expect(load({ CORS_ORIGINS: ' https://a.example.org/ ,http://localhost:5173', RATE_LIMIT_PER_USER_PER_MINUTE: '100' })).toMatchObject({
      corsOrigins: ['https://a.example.org', 'http://localhost:5173'],
      rateLimitPerUserPerMinute: 100,
    });
  });

  it('refuses a bad value at start-up, naming the variable', () => {
    expect(() => load({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '0' })).toThrow(ConfigurationError);
    expect(() => load({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1.5' })).toThrow(/RATE_LIMIT_PER_ADDRESS_PER_MINUTE must be an integer/);
    expect(() => load({ RATE_LIMIT_PER_USER_PER_MINUTE: 'many' })).toThrow(/RATE_LIMIT_PER_USER_PER_MINUTE must be an integer/);
    expect(() => load({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS entry "\*"/);
    expect(() => load({ TRUST_PROXY: 'the gateway' })).toThrow(/TRUST_PROXY must be addresses, subnets or loopback/);
    expect(() => load({ CORS_ORIGINS: 'https://a.example.org/console' })).toThrow(/CORS_ORIGINS entry/);
  });
});
