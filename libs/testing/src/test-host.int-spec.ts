// startTestHost on Kafka returns once the host is linked to the broker (topics ensured, consumers in their
// group), as a test that sends a fact right after it expects; a host that does not link in time is an
// error that says so, unless the test says the broker is down.
import { Controller, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { ServiceRuntimeModule } from '@skills/service-runtime';
import { randomBytes } from 'node:crypto';
import { freePort } from './free-port';
import { describeWithKafka, kafkaBrokers, waitForConsumerGroup } from './kafka';
import { createTestDatabase, TestDatabase } from './test-database';
import { http, startTestHost } from './test-host';

@Controller()
class ProbeConsumer {
  @EventPattern('skills.probe.test-host.v1')
  onProbe(): void {
    // Only here for the host to have consumers.
  }
}

@Module({ imports: [ServiceRuntimeModule.forService({ name: 'probe', migrations: [] })], controllers: [ProbeConsumer] })
class ProbeModule {}

describeWithKafka('startTestHost on Kafka', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database?.drop());

  const clientId = () => `test-host-spec-${randomBytes(3).toString('hex')}`;

  it('returns once the host is linked to the broker: readiness says it is up', async () => {
    const host = await startTestHost({ modules: [ProbeModule], transport: 'kafka', kafkaBrokers: kafkaBrokers(), clientId: clientId(), databaseUrl: database.url });
    try {
      expect(await http(host.baseUrl, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { checks: { broker: 'up' } } });
    } finally {
      await host.close();
    }
  }, 120_000);

  it('throws, naming the broker and the way out, when the host does not link to it in time', async () => {
    const deadBroker = `127.0.0.1:${await freePort()}`;
    const starting = startTestHost({ modules: [ProbeModule], transport: 'kafka', kafkaBrokers: [deadBroker], clientId: clientId(), databaseUrl: database.url, linkWaitMs: 3000 });
    await expect(starting).rejects.toThrow(`the host did not link to the broker at ${deadBroker} within 3 s (it has not ensured the topics); a test that starts it with the broker down passes brokerDown: true`);
  }, 60_000);

  it('returns at once with the broker down when the test says so', async () => {
    const host = await startTestHost({ modules: [ProbeModule], transport: 'kafka', kafkaBrokers: [`127.0.0.1:${await freePort()}`], brokerDown: true, clientId: clientId(), databaseUrl: database.url });
    try {
      expect(await http(host.baseUrl, 'GET', '/health/ready')).toMatchObject({ status: 200, body: { checks: { broker: 'down' } } });
    } finally {
      await host.close();
    }
  }, 60_000);

  it('waitForConsumerGroup throws when the group has not settled in time', async () => {
    await expect(waitForConsumerGroup(kafkaBrokers(), `${clientId()}-nobody`, 1000)).rejects.toThrow(/did not settle within 1 s/);
  });
});
