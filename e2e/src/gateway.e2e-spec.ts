// The gateway in front of services: routing by resource, one OpenAPI document, health, pass-through of
// headers and problem answers. Here every service URL points at one all-in-one host; the distributed
// end-to-end test runs it in front of five separate processes.
import { BrandModule } from '@skills/brand-service';
import { CertificationModule } from '@skills/certification-service';
import { SERVICE_NAMES, ServiceName } from '@skills/contracts';
import { createGateway } from '@skills/gateway';
import { PlacementModule } from '@skills/placement-service';
import { createTestDatabase, http, startTestHost, TestDatabase, TestHost, testIdentityNumber } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';

describe('gateway', () => {
  let database: TestDatabase;
  let host: TestHost;
  let server: Server;
  let gateway: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule, TrainingModule, CertificationModule, PlacementModule, BrandModule], transport: 'in-process', databaseUrl: database.url });
    const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, host.baseUrl])) as Record<ServiceName, string>;
    server = createGateway(urls).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await host?.close();
    await database?.drop();
  });

  it('routes commands and queries to the owning service, headers and answers untouched', async () => {
    const registered = await http(gateway, 'POST', '/api/v1/trainees', { name: '网关学员', idNumber: testIdentityNumber(30), phone: '13800000000' }, { 'Idempotency-Key': 'gw-1', 'X-Correlation-Id': 'corr-gw-1' });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('x-correlation-id')).toBe('corr-gw-1');
    const repeated = await http(gateway, 'POST', '/api/v1/trainees', { name: '网关学员', idNumber: testIdentityNumber(30), phone: '13800000000' }, { 'Idempotency-Key': 'gw-1' });
    expect(repeated).toMatchObject({ status: 201, body: registered.body });
    expect((await http(gateway, 'GET', `/api/v1/trainees/${registered.body.id}`)).body).toMatchObject({ name: '网关学员' });
    const invalid = await http(gateway, 'POST', '/api/v1/courses', { title: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect((await http(gateway, 'GET', '/api/v1/placements?limit=5')).body).toMatchObject({ items: expect.any(Array) });
  });

  it('answers 404 as a problem for a resource no service owns', async () => {
    const answer = await http(gateway, 'GET', '/api/v1/unicorns');
    expect(answer).toMatchObject({ status: 404, body: { status: 404, title: 'Not found' } });
  });

  it('serves one OpenAPI document with every service’s paths, and reports readiness', async () => {
    const document = (await http(gateway, 'GET', '/api/docs-json')).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/trainees', '/api/v1/courses/{id}/assessments', '/api/v1/certifications', '/api/v1/placements/{id}/hires', '/api/v1/brands/{id}/qualification']),
    );
    expect(Object.keys(document.paths).every((path) => path.startsWith('/api/v1/'))).toBe(true);
    expect((await fetch(`${gateway}/api/docs/`)).status).toBe(200);
    expect(await http(gateway, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
