// The process launcher runs what docker-compose.yml runs: the same services, each with the same
// environment variables (the launcher adds only its own consumer group and a quieter kafkajs).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DOCKERFILE, GATEWAY, SERVICES, SERVICE_ENVIRONMENT, serviceUrlVariable } from '../deploy/topology';
import { launchedEnvironment, launchedGatewayEnvironment, readyToUse } from './launch';

const compose = YAML.parse(readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { environment?: Record<string, unknown>; build?: { dockerfile?: string; args?: Record<string, unknown> } }>;
};
const LAUNCHER_ONLY = ['KAFKA_CLIENT_ID', 'KAFKAJS_NO_PARTITIONER_WARNING'];

describe('the process launcher and docker-compose.yml', () => {
  it('start the same services and the gateway', () => {
    for (const name of [...SERVICES.map((service) => service.name), GATEWAY.name]) expect(Object.keys(compose.services)).toContain(name);
  });

  it('run the same entry points: the launcher starts the main.ts the Dockerfile compiles for each compose service', () => {
    // The Dockerfile compiles services/${SERVICE}/src/main.ts (tools/deploy/compose.spec.ts checks that).
    for (const { name, main } of [...SERVICES, GATEWAY]) {
      expect(compose.services[name].build?.dockerfile).toBe(DOCKERFILE);
      expect(`services/${String(compose.services[name].build?.args?.SERVICE)}/src/main.ts`).toBe(main);
    }
  });

  const where = { kafkaBrokers: '127.0.0.1:9092', databaseUrl: 'postgres://x/y', port: 1, suffix: 's', publicOrigin: 'http://127.0.0.1:2', urlOf: (name: string) => `http://127.0.0.1/${name}` };

  it.each(SERVICES.map((service) => [service.name, service] as const))('give %s the same environment variables', (name, service) => {
    const launched = Object.keys(launchedEnvironment(service, where)).filter((key) => !LAUNCHER_ONLY.includes(key));
    const composed = Object.keys(compose.services[name].environment ?? {}).filter((key) => !service.secrets.includes(key));
    expect(launched.sort()).toEqual(composed.sort());
  });

  it('tell every service where the gateway (the token issuer’s public origin) and every service are, identity-service among them', () => {
    expect(SERVICES.map((service) => service.name)).toContain('identity-service');
    expect(SERVICE_ENVIRONMENT).toEqual(expect.arrayContaining(['PUBLIC_ORIGIN', 'IDENTITY_SERVICE_URL']));
    // The catch-up barrier asks the source of every topic how far its outbox has published, with the one secret.
    const urls = Object.fromEntries(SERVICES.map((each) => [serviceUrlVariable(each), where.urlOf(each.name)]));
    const composedUrls = Object.fromEntries(SERVICES.map((each) => [serviceUrlVariable(each), `http://${each.name}:${each.port}`]));
    for (const service of SERVICES) {
      expect(launchedEnvironment(service, where)).toMatchObject({ PUBLIC_ORIGIN: where.publicOrigin, ...urls });
      expect(compose.services[service.name].environment).toMatchObject({ PUBLIC_ORIGIN: 'http://localhost:3000', ...composedUrls });
      expect(service.secrets).toContain('INTERNAL_API_SECRET');
    }
  });

  it('give the gateway the same environment variables, a URL for every service (IDENTITY_SERVICE_URL included)', () => {
    const launched = launchedGatewayEnvironment(1, (name) => `http://127.0.0.1/${name}`);
    expect(Object.keys(launched).sort()).toEqual(Object.keys(compose.services[GATEWAY.name].environment ?? {}).sort());
    expect(launched.IDENTITY_SERVICE_URL).toBe('http://127.0.0.1/identity-service');
  });

  it('wait for a service on Kafka until its readiness says the broker is up, not only 200', () => {
    for (const service of SERVICES) expect(launchedEnvironment(service, where).TRANSPORT).toBe('kafka');
    expect(readyToUse(200, { status: 'degraded', degraded: ['broker'], checks: { broker: 'down' } }, true)).toBe(false);
    expect(readyToUse(200, { status: 'degraded', degraded: ['broker'], checks: { broker: 'connecting' } }, true)).toBe(false);
    expect(readyToUse(200, { status: 'ok', checks: { broker: 'up' } }, true)).toBe(true);
    // Degraded for another reason (a dead letter) with the broker up: it can be used.
    expect(readyToUse(200, { status: 'degraded', degraded: ['trainee/training.known-trainees'], checks: { broker: 'up' } }, true)).toBe(true);
    expect(readyToUse(503, { checks: { broker: 'up' } }, true)).toBe(false);
    // The gateway has no broker of its own: 200 is enough.
    expect(readyToUse(200, { status: 'ok' }, false)).toBe(true);
  });
});
