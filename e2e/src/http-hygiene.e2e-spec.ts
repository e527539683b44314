// The gateway, the one origin of distributed deployments, with the services' HTTP hygiene: security
// headers on its own answers and on those it passes through, OPTIONS answered by the owning service,
// CORS for CORS_ORIGINS only, and the limit per client address counted at the gateway for the whole origin.
import { SERVICE_NAMES, ServiceName } from '@skills/contracts';
import { createGateway } from '@skills/gateway';
import { HTTP_SETTINGS_DEFAULTS, HttpSettings } from '@skills/service-runtime';
import { createTestDatabase, startTestHost, TestDatabase, TestHost, testIssuer } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';

const CONSOLE = 'https://console.example.org';

/** The parts of the OpenAPI document these tests read. */
interface OpenApiShape {
  components: { responses: Record<string, { headers: Record<string, unknown>; content: Record<string, { schema: { properties: Record<string, { enum?: unknown[] }> } }> }> };
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

describe('HTTP hygiene at the gateway', () => {
  let database: TestDatabase;
  let host: TestHost;
  const servers: Server[] = [];
  let plain: string;
  let configured: string;

  async function gateway(settings: HttpSettings): Promise<string> {
    const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, host.baseUrl])) as Record<ServiceName, string>;
    const server = createGateway(urls, settings).listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule], transport: 'in-process', databaseUrl: database.url });
    plain = await gateway(HTTP_SETTINGS_DEFAULTS);
    configured = await gateway({ ...HTTP_SETTINGS_DEFAULTS, corsOrigins: [CONSOLE], rateLimitPerAddressPerMinute: 3 });
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await host?.close();
    await database?.drop();
  });

  function expectSecurityHeaders(headers: Headers) {
    expect(headers.get('x-powered-by')).toBeNull();
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
  }

  it('sends the security headers on its own answers and on the services’ it passes through', async () => {
    for (const [path, status] of [
      ['/health/live', 200],
      ['/api/docs/', 200],
      ['/nothing-here', 404],
      ['/api/v1/trainees/00000000-0000-4000-8000-000000000000', 401],
    ] as const) {
      const answer = await fetch(`${plain}${path}`);
      expect(answer.status).toBe(status);
      expectSecurityHeaders(answer.headers);
    }
  });

  it('serves Swagger UI from its own files, and the merged document says every operation may answer 429', async () => {
    const page = await fetch(`${plain}/api/docs/`);
    const html = await page.text();
    expect(html).not.toMatch(/<script[^>]*>[^<\s]/);
    for (const [, src] of html.matchAll(/<script[^>]+src=["']([^"']+)["']/g)) {
      const script = await fetch(new URL(src, page.url));
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toContain('javascript');
    }
    const document = (await (await fetch(`${plain}/api/docs-json`)).json()) as OpenApiShape;
    expect(document.components.responses.RateLimited).toBeDefined();
    expect(document.paths['/api/v1/trainees/{id}'].get.responses['429']).toEqual({ $ref: '#/components/responses/RateLimited' });
    // An operation with a 429 of its own (a registration counted as a lookup) says both.
    expect(JSON.stringify(document.paths['/api/v1/trainees'].post.responses['429'])).toMatch(/too_many_lookups.*RATE_LIMIT_PER_USER_PER_MINUTE/);
  });

  it('passes OPTIONS to the owning service, which answers 204 with Allow', async () => {
    const options = await fetch(`${plain}/api/v1/trainees`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toContain('POST');
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight from a configured origin with the CORS headers, from another with none', async () => {
    const preflight = (origin: string, address: string) =>
      fetch(`${configured}/api/v1/trainees`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'x-forwarded-for': address } });
    const allowed = await preflight(CONSOLE, '198.51.100.1');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE);
    const other = await preflight('https://elsewhere.example.com', '198.51.100.2');
    expect(other.status).toBe(204);
    expect([...other.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('limits each client address for the whole origin: 429 problem with Retry-After', async () => {
    const address = { 'x-forwarded-for': '198.51.100.9' };
    for (let i = 0; i < 3; i++) expect((await fetch(`${configured}/health/live`, { headers: address })).status).toBe(200);
    const limited = await fetch(`${configured}/api/v1/trainees`, { headers: address });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(await limited.json()).toMatchObject({ status: 429, rule: 'rate_limited', limit: 3 });
    expectSecurityHeaders(limited.headers);
    expect((await fetch(`${configured}/health/live`, { headers: { 'x-forwarded-for': '198.51.100.10' } })).status).toBe(200);
  });
});
