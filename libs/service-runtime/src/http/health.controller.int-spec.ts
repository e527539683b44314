// /health/ready on a small Nest app holding only the HealthController, against the run's real broker, for a
// host whose link to it (BrokerLink: topics ensured, consumers connected) is made, or not yet (it started
// during an outage and tries again with backoff): the broker answering is not enough to be `up`.
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BROKER_LINK, TRANSPORT_CONFIG } from '@skills/messaging';
import { describeWithKafka, kafkaBrokers } from '@skills/testing';
import { AddressInfo } from 'node:net';
import { RegisteredService, ServiceRegistry } from '../service-registry';
import { HealthController } from './health.controller';

const probe = {
  name: 'probe',
  database: { query: async () => ({ rows: [] }) },
  projections: { status: async () => [] },
  deadLetters: { counts: async () => [] },
  relay: { backlog: async () => 0 },
} as unknown as RegisteredService;

describeWithKafka('/health/ready of a Kafka host, by its link to the broker', () => {
  const link = { connected: false };
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const registry = new ServiceRegistry();
    registry.register(probe);
    const transport = { transport: 'kafka', kafkaBrokers: kafkaBrokers(), clientId: 'health-int-spec' };
    @Module({
      controllers: [HealthController],
      providers: [
        { provide: ServiceRegistry, useValue: registry },
        { provide: TRANSPORT_CONFIG, useValue: transport },
        { provide: BROKER_LINK, useValue: link },
      ],
    })
    class HealthOnlyModule {}
    app = await NestFactory.create(HealthOnlyModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(() => app?.close());

  const ready = async () => {
    const answer = await fetch(`${baseUrl}/health/ready`);
    return { status: answer.status, body: await answer.json() };
  };

  it('names the broker `connecting`, degraded and 200, while the host has not yet linked to a broker that answers', async () => {
    link.connected = false;
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'degraded', degraded: ['broker'], checks: { broker: 'connecting' } } });
  });

  it('names the broker `up` once the host is linked to it', async () => {
    link.connected = true;
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'ok', checks: { broker: 'up' } } });
  });
});
