// /health/ready on a small Nest app holding only the HealthController, with a registry of fake services (no
// database) and TRANSPORT=kafka whose KAFKA_BROKERS is a TCP listener that accepts connections and never
// answers: a broker that hangs. Readiness must still answer, in time for a probe, `degraded` and 200, without
// one Kafka client per request; and a database that fails is named down without the driver's words.
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TRANSPORT_CONFIG, TransportConfig } from '@skills/messaging';
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { RegisteredService, ServiceRegistry } from '../service-registry';
import { HealthController } from './health.controller';

/** A service of the registry whose database answers, or fails with `failure`. */
const fakeService = (name: string, failure?: Error) =>
  ({
    name,
    database: { query: async () => (failure ? Promise.reject(failure) : { rows: [] }) },
    projections: { status: async () => [] },
    deadLetters: { counts: async () => [] },
    relay: { backlog: async () => 0 },
  }) as unknown as RegisteredService;

/** Accepts every connection and reads what it is sent, but never writes a byte. */
async function hangingBroker(): Promise<{ address: string; connections: () => number; open: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => accepted,
    open: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function startHealth(services: RegisteredService[], transport: TransportConfig): Promise<{ app: INestApplication; baseUrl: string }> {
  const registry = new ServiceRegistry();
  for (const service of services) registry.register(service);
  @Module({ controllers: [HealthController], providers: [{ provide: ServiceRegistry, useValue: registry }, { provide: TRANSPORT_CONFIG, useValue: transport }] })
  class HealthOnlyModule {}
  const app = await NestFactory.create(HealthOnlyModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

const ready = async (baseUrl: string) => {
  const answer = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(10_000) });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};

/**
 * A readiness check that waited for the hanging broker without its bound (BROKER_CHECK_TIMEOUT_MS)
 * would answer after kafkajs's 30 s request timeout: the tests below time out well before that. Time
 * is not measured in a test (a loaded machine's stopwatch says little); the bound shows as an answer at all.
 */
const WELL_BEFORE_KAFKAJS_TIMEOUT_MS = 10_000;

describe('/health/ready with a broker that accepts connections and never answers', () => {
  let broker: Awaited<ReturnType<typeof hangingBroker>>;
  let host: { app: INestApplication; baseUrl: string };

  beforeAll(async () => {
    broker = await hangingBroker();
    host = await startHealth([fakeService('probe')], { transport: 'kafka', kafkaBrokers: [broker.address], clientId: 'health-spec' });
  });

  afterAll(async () => {
    await host?.app.close();
    await broker?.close();
  });

  it('answers 200 degraded, naming the broker, without waiting out the client’s own timeouts (a probe gives up after 3 s)', async () => {
    const answer = await ready(host.baseUrl);
    expect(answer).toMatchObject({ status: 200, body: { status: 'degraded', degraded: ['broker'], checks: { broker: 'down', probe: { database: 'up' } } } });
    expect(broker.connections()).toBeGreaterThan(0);
  }, WELL_BEFORE_KAFKAJS_TIMEOUT_MS);

  it('opens no Kafka client per request: probes arriving together share one look, and its connection is closed', async () => {
    // Past the reuse of the first test's look.
    await new Promise((resolve) => setTimeout(resolve, 5_100));
    const before = broker.connections();
    const answers = await Promise.all(Array.from({ length: 10 }, () => ready(host.baseUrl)));
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { degraded: ['broker'] } });
    expect(broker.connections() - before).toBe(1);
    // Disconnected once the look ends, though the broker never said a word.
    const deadline = Date.now() + 3000;
    while (broker.open() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(broker.open()).toBe(0);
  }, 5_100 + 3_000 + WELL_BEFORE_KAFKAJS_TIMEOUT_MS); // the wait past the reuse, and the one for the disconnect, besides
});

describe('/health/ready with a database that fails', () => {
  let host: { app: INestApplication; baseUrl: string };

  beforeAll(async () => {
    const failure = Object.assign(new Error('password authentication failed for user "skills_admin" at db-primary.internal.example:5432'), { code: '28P01' });
    host = await startHealth([fakeService('probe', failure)], { transport: 'in-process', kafkaBrokers: [], clientId: 'health-spec' });
  });

  afterAll(() => host?.app.close());

  it('answers 503 naming the database down, without the driver’s words (hosts, users)', async () => {
    const answer = await fetch(`${host.baseUrl}/health/ready`);
    const text = await answer.text();
    expect(answer.status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({ checks: { probe: { database: 'down' } } });
    expect(text).not.toMatch(/skills_admin|db-primary|authentication|5432/);
  });
});
