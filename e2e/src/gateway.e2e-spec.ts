// The gateway in front of services: routing by resource and by the token issuer's paths, one OpenAPI
// document, health, pass-through of headers and problem answers. Here every service URL points at one
// all-in-one host (identity included); the distributed end-to-end test runs it in front of six
// separate processes.
import { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { BrandModule } from '@skills/brand-service';
import { CertificationModule } from '@skills/certification-service';
import { ACCESS_TOKEN_AUDIENCE, PATH_OWNERS, RESOURCE_OWNERS, SERVICE_NAMES, ServiceName } from '@skills/contracts';
import { createGateway } from '@skills/gateway';
import { HTTP_SETTINGS_DEFAULTS } from '@skills/service-runtime';
import { IdentityModule } from '@skills/identity-service';
import { PlacementModule } from '@skills/placement-service';
import { adminToken, bearer, createTestDatabase, http, signInAs, startTestHost, TEST_ADMIN_PASSWORD, TestDatabase, TestHost, testIdentityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('gateway', () => {
  let database: TestDatabase;
  let host: TestHost;
  let server: Server;
  let gateway: string;
  const adminPasswordBefore = process.env.ADMIN_PASSWORD;

  // A stand-in for the console's build (its real build is served in console.e2e-spec.ts): a page and an asset.
  const consoleDir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1)');

  beforeAll(async () => {
    database = await createTestDatabase();
    // The first admin's password, read by the identity module when the host starts (adminToken signs in with it).
    process.env.ADMIN_PASSWORD = TEST_ADMIN_PASSWORD;
    host = await startTestHost({ modules: [IdentityModule, TraineeModule, TrainingModule, CertificationModule, PlacementModule, BrandModule], transport: 'in-process', databaseUrl: database.url });
    const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, host.baseUrl])) as Record<ServiceName, string>;
    server = createGateway(urls, undefined, consoleDir).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await host?.close();
    await database?.drop();
    if (adminPasswordBefore === undefined) delete process.env.ADMIN_PASSWORD;
    else process.env.ADMIN_PASSWORD = adminPasswordBefore;
  });

  it('serves the web console: its pages as index.html, its hashed files cached for good, API paths never', async () => {
    for (const path of ['/', '/verify/Z430000001', '/school/courses']) {
      const page = await fetch(`${gateway}${path}`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('<div id="root">');
    }
    // The console's own pages whatever the client accepts (`curl /`); another path only for a browser.
    expect((await fetch(`${gateway}/`)).status).toBe(200);
    expect((await fetch(`${gateway}/verify/Z430000001`)).status).toBe(200);
    expect((await fetch(`${gateway}/no-such-page`)).status).toBe(404);
    expect((await fetch(`${gateway}/no-such-page`, { headers: { accept: 'text/html' } })).status).toBe(200);
    const asset = await fetch(`${gateway}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${gateway}/assets/missing.js`)).status).toBe(404);
    // An unknown API path stays the API's problem answer, even for a browser asking for HTML.
    const unknown = await fetch(`${gateway}/api/v1/nothing-here`, { headers: { accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });

  it('routes commands and queries to the owning service, headers and answers untouched', async () => {
    // Signed in through the gateway too: the admin, and a school's staff created by the admin.
    const admin = await adminToken(gateway);
    const staff = (await signInAs(gateway, { role: 'school_staff', organisationId: randomUUID() })).token;
    const trainee = { name: '网关学员', idNumber: testIdentityNumber(30), phone: '13800000000' };
    const registered = await http(gateway, 'POST', '/api/v1/trainees', trainee, { ...bearer(admin), 'Idempotency-Key': 'gw-1', 'X-Correlation-Id': 'corr-gw-1' });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('x-correlation-id')).toBe('corr-gw-1');
    const repeated = await http(gateway, 'POST', '/api/v1/trainees', trainee, { ...bearer(admin), 'Idempotency-Key': 'gw-1' });
    expect(repeated).toMatchObject({ status: 201, body: registered.body });
    expect((await http(gateway, 'GET', `/api/v1/trainees/${registered.body.id}`, undefined, bearer(admin))).body).toMatchObject({ name: '网关学员' });
    // The Authorization header reaches the service: without it, the same command is refused there.
    expect((await http(gateway, 'POST', '/api/v1/trainees', trainee)).status).toBe(401);
    const invalid = await http(gateway, 'POST', '/api/v1/courses', { title: 'x' }, bearer(staff));
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect((await http(gateway, 'GET', '/api/v1/placements?limit=5')).body).toMatchObject({ items: expect.any(Array) });
  });

  it('answers 404 as a problem for a resource no service owns', async () => {
    const answer = await http(gateway, 'GET', '/api/v1/unicorns');
    expect(answer).toMatchObject({ status: 404, body: { status: 404, title: 'Not found' } });
    // Not a resource, though every object has it.
    expect(await http(gateway, 'GET', '/api/v1/constructor')).toMatchObject({ status: 404, body: { title: 'Not found' } });
  });

  it('routes the token issuer: signs in through /oauth/token, serves discovery and keys, and the token opens /api/v1/me', async () => {
    // As OAuth clients send it: a form.
    const signedIn = await http(gateway, 'POST', '/oauth/token', new URLSearchParams({ grant_type: 'password', username: 'admin', password: TEST_ADMIN_PASSWORD }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(signedIn).toMatchObject({ status: 200, body: { token_type: 'Bearer', access_token: expect.any(String) } });
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const token = signedIn.body.access_token as string;

    const discovery = await http(gateway, 'GET', '/.well-known/openid-configuration');
    expect(discovery).toMatchObject({ status: 200, body: { issuer: expect.any(String), jwks_uri: expect.stringMatching(/\/\.well-known\/jwks\.json$/) } });
    const jwks = await http(gateway, 'GET', '/.well-known/jwks.json');
    expect(jwks).toMatchObject({ status: 200, body: { keys: expect.arrayContaining([expect.objectContaining({ kty: 'EC', kid: expect.any(String) })]) } });
    // The token checks out against the keys the gateway serves, under the issuer it names.
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL('/.well-known/jwks.json', gateway)), { issuer: discovery.body.issuer, audience: ACCESS_TOKEN_AUDIENCE });
    expect(payload).toMatchObject({ username: 'admin', role: 'platform_admin' });

    expect(await http(gateway, 'GET', '/api/v1/me', undefined, { authorization: `Bearer ${token}` })).toMatchObject({ status: 200, body: { username: 'admin', role: 'platform_admin', organisationId: null } });
    expect((await http(gateway, 'GET', '/api/v1/me')).status).toBe(401);
    // Key rotation is routed too, and needs the admin's permission.
    expect((await http(gateway, 'POST', '/admin/identity/signing-keys/rotate')).status).toBe(401);
    expect(await http(gateway, 'POST', '/admin/identity/signing-keys/rotate', undefined, { authorization: `Bearer ${token}` })).toMatchObject({ status: 200, body: { kid: expect.any(String) } });
    // Only the issuer's prefixes: a service's own admin and metrics stay behind the gateway.
    expect((await http(gateway, 'GET', '/admin/projections')).status).toBe(404);
    expect((await http(gateway, 'GET', '/oauthx/token')).status).toBe(404);
  });

  it("names as each resource's owner the service whose module declares its routes", () => {
    const modules = [...host.app.get(ModulesContainer).values()];
    const owners: Array<[Type, ServiceName]> = [
      [IdentityModule, 'identity-service'],
      [TraineeModule, 'trainee-service'],
      [TrainingModule, 'training-service'],
      [CertificationModule, 'certification-service'],
      [PlacementModule, 'placement-service'],
      [BrandModule, 'brand-service'],
    ];
    const declared = new Map<string, Set<ServiceName>>();
    for (const [module, service] of owners) {
      // The service's module and every module it imports: their controllers' /api/v1/ resources.
      const queue = modules.filter((wrapper) => wrapper.metatype === module);
      const seen = new Set<unknown>();
      while (queue.length > 0) {
        const wrapper = queue.pop()!;
        if (seen.has(wrapper)) continue;
        seen.add(wrapper);
        for (const controller of wrapper.controllers.values()) {
          const type = controller.metatype as Type;
          const prefix = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
          const methods = Object.getOwnPropertyNames(type.prototype).map((name) => Reflect.getMetadata(PATH_METADATA, type.prototype[name]) as string | undefined);
          for (const path of [prefix, ...methods.filter((path) => path !== undefined).map((path) => `${prefix}/${path}`)]) {
            const resource = /^\/?api\/v1\/([^/:]+)/.exec(path.replace(/^\/+/, ''))?.[1];
            if (resource) declared.set(resource, (declared.get(resource) ?? new Set()).add(service));
          }
        }
        queue.push(...(wrapper.imports as Set<typeof wrapper>));
      }
    }
    const owned = Object.fromEntries([...declared].map(([resource, services]) => [resource, [...services]]));
    expect(owned).toEqual(Object.fromEntries(Object.entries(RESOURCE_OWNERS).map(([resource, service]) => [resource, [service]])));
  });

  it('serves one OpenAPI document with every service’s paths, and reports readiness', async () => {
    const document = (await http(gateway, 'GET', '/api/docs-json')).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/trainees',
        '/api/v1/courses/{id}/assessments',
        '/api/v1/certifications',
        '/api/v1/placements/{id}/hires',
        '/api/v1/brands/{id}/qualification',
        '/api/v1/me',
        '/api/v1/users',
        '/oauth/token',
        '/.well-known/jwks.json',
        '/admin/identity/signing-keys/rotate',
      ]),
    );
    // Every resource of the API has an owner to route it to (statistics had none: a 404 behind the gateway).
    const resources = new Set(Object.keys(document.paths).flatMap((path) => /^\/api\/v1\/([^/]+)/.exec(path)?.[1] ?? []));
    expect([...resources].filter((resource) => !Object.hasOwn(RESOURCE_OWNERS, resource))).toEqual([]);
    const routed = ['/api/v1/', ...Object.keys(PATH_OWNERS)];
    expect(Object.keys(document.paths).filter((path) => !routed.some((prefix) => path.startsWith(prefix)))).toEqual([]);
    expect((await fetch(`${gateway}/api/docs/`)).status).toBe(200);
    expect(await http(gateway, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('passes on the client’s address as it judged it, alone: never the X-Forwarded-For the client wrote', async () => {
    // A service that tells what it was sent.
    const seen: Array<string | undefined> = [];
    const service = createServer((request, response) => {
      seen.push(request.headers['x-forwarded-for'] as string | undefined);
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => service.once('listening', resolve));
    const serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
    const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, serviceUrl])) as Record<ServiceName, string>;
    const gateways = [createGateway(urls), createGateway(urls, { ...HTTP_SETTINGS_DEFAULTS, trustProxy: 'loopback' })].map((app) => app.listen(0, '127.0.0.1'));
    try {
      await Promise.all(gateways.map((listening) => new Promise((resolve) => (listening.listening ? resolve(undefined) : listening.once('listening', resolve)))));
      const [onThePrivateNetwork, onThisMachineOnly] = gateways.map((listening) => `http://127.0.0.1:${(listening.address() as AddressInfo).port}`);
      const claimed = { 'x-forwarded-for': '198.51.100.7, 10.1.2.3' };
      await fetch(`${onThePrivateNetwork}/api/v1/trainees/search`, { method: 'POST', headers: claimed });
      // Believing private networks (an ingress in front): 10.1.2.3 forwarded for 198.51.100.7.
      await fetch(`${onThisMachineOnly}/api/v1/trainees/search`, { method: 'POST', headers: claimed });
      // Believing the loopback alone: 10.1.2.3 is the client, whatever it says of anyone before it.
      await fetch(`${onThePrivateNetwork}/api/v1/trainees/search`, { method: 'POST' });
      expect(seen).toEqual(['198.51.100.7', '10.1.2.3', '127.0.0.1']);
    } finally {
      for (const listening of [...gateways, service]) await new Promise((resolve) => listening.close(resolve));
    }
  });

  it('stays ready with a service down, naming it, and routes to the others', async () => {
    // A port nothing listens at: placement-service is down.
    const nowhere = createGateway({ ...(Object.fromEntries(SERVICE_NAMES.map((name) => [name, host.baseUrl])) as Record<ServiceName, string>), 'placement-service': 'http://127.0.0.1:9' }).listen(0, '127.0.0.1');
    await new Promise((resolve) => nowhere.once('listening', resolve));
    const degradedGateway = `http://127.0.0.1:${(nowhere.address() as AddressInfo).port}`;
    try {
      const health = await http(degradedGateway, 'GET', '/health/ready');
      expect(health).toMatchObject({ status: 200, body: { status: 'degraded', degraded: ['placement-service'], services: { 'placement-service': 'down', 'trainee-service': 'up' } } });
      expect((await http(degradedGateway, 'GET', '/api/v1/placements')).status).toBe(502);
      expect((await http(degradedGateway, 'GET', '/api/v1/me', undefined, bearer(await adminToken(host.baseUrl)))).status).toBe(200);
    } finally {
      await new Promise((resolve) => nowhere.close(resolve));
    }
  });
});
