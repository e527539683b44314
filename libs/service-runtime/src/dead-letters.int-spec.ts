// A consumer meets a message it cannot apply (a wage beyond its integer column): the message is
// dead-lettered and the consumer applies the messages after it; /admin/dead-letters lists the letter with
// an error that does not carry the value, `consumer_dead_letters` counts it and readiness is degraded.
// A retry before the fix leaves the one letter with its new error; after the fix (the column widened,
// standing for a deploy) a retry applies it and all is well again.
import { Controller, Inject, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IntegrationEnvelope } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { sqlMigration } from '@skills/postgres';
import { bearer, fact, http, publishFacts, ServiceSpec, startServiceSpec } from '@skills/testing';
import { Client } from 'pg';
import { ServiceRuntimeModule } from './service-runtime.module';

const TOPIC = 'skills.probe.wages.v1';
const CONSUMER = 'probe.wages';
/** Above PostgreSQL's integer range (2^31 - 1), the type of the probe's wage column. */
const WAGE_BEYOND_THE_COLUMN = 3_000_000_000;

const Wages = sqlMigration('ProbeWages', 1700000000200, 'CREATE TABLE wages (event_id uuid PRIMARY KEY, amount integer NOT NULL)');

@Controller()
class WagesConsumer {
  constructor(@Inject(MessageConsumer) private readonly messages: MessageConsumer) {}

  @EventPattern(TOPIC)
  async onWage(@Payload() envelope: IntegrationEnvelope): Promise<void> {
    await this.messages.consume(CONSUMER, TOPIC, envelope, async (tx, current) => {
      await tx.query('INSERT INTO wages (event_id, amount) VALUES ($1, $2)', [current.eventId, (current.payload as { amount: number }).amount]);
    });
  }
}

@Module({ imports: [ServiceRuntimeModule.forService({ name: 'probe', migrations: [Wages] })], controllers: [WagesConsumer] })
class ProbeModule {}

const wage = (amount: number) => fact(TOPIC, 'WagePaid', { amount });

describe('a consumer dead-letters a message it cannot apply, shows it, and applies it on retry after a fix', () => {
  let service: ServiceSpec;
  let admin: Record<string, string>;
  let sql: Client;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [ProbeModule], service: 'probe' });
    admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
    sql = new Client({ connectionString: service.database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  const applied = async () => (await sql.query<{ event_id: string }>('SELECT event_id FROM probe.wages')).rows.map((row) => row.event_id);
  const letters = async () => {
    const answer = await http(service.host.baseUrl, 'GET', '/admin/dead-letters', undefined, admin);
    expect(answer.status).toBe(200);
    return answer.body.probe as { deadLetters: number; letters: Record<string, unknown>[] };
  };
  const metric = async () => {
    const { body } = await http(service.host.baseUrl, 'GET', '/metrics', undefined, admin);
    return Number(/^consumer_dead_letters\{service="probe",consumer="probe\.wages"\} (\d+)$/m.exec(body)?.[1] ?? 0);
  };
  const ready = () => http(service.host.baseUrl, 'GET', '/health/ready');
  const retry = (id: string) => http(service.host.baseUrl, 'POST', `/admin/dead-letters/probe/${id}/retry`, undefined, admin);

  it('dead-letters the message, keeps applying the others, reports it; after the fix a retry applies it', async () => {
    const [before, bad, after] = [wage(5000), wage(WAGE_BEYOND_THE_COLUMN), wage(6000)];
    // The in-process bus returns once the consumer has applied or dead-lettered each of them.
    await publishFacts(service.host, [before, bad, after]);
    expect(await applied()).toEqual(expect.arrayContaining([before.envelope.eventId, after.envelope.eventId]));
    expect(await applied()).not.toContain(bad.envelope.eventId);

    const listed = await letters();
    const error = 'SQLSTATE 22003: value "…" is out of range for type integer';
    expect(listed).toEqual({
      deadLetters: 1,
      letters: [{ id: expect.any(String), consumer: CONSUMER, topic: TOPIC, eventId: bad.envelope.eventId, eventType: 'WagePaid', error, parkedAt: expect.any(String) }],
      nextCursor: null,
    });
    const id = listed.letters[0].id as string;
    expect(await metric()).toBe(1);
    expect(await ready()).toMatchObject({ status: 200, body: { status: 'degraded', degraded: [`probe/${CONSUMER}`], checks: { probe: { deadLetters: { [CONSUMER]: 1 } } } } });

    // A retry before the fix fails again: the same one letter, parked anew.
    const failed = await retry(id);
    expect(failed).toMatchObject({ status: 200, body: { id, outcome: 'failed', letter: { id, error } } });
    expect(failed.body.letter.parkedAt > (listed.letters[0].parkedAt as string)).toBe(true);
    expect(await letters()).toMatchObject({ deadLetters: 1, letters: [{ id }] });

    // The fix, as a deploy would bring it: a column wide enough.
    await sql.query('ALTER TABLE probe.wages ALTER COLUMN amount TYPE bigint');
    expect(await retry(id)).toMatchObject({ status: 200, body: { id, outcome: 'applied' } });

    expect(await applied()).toEqual(expect.arrayContaining([before.envelope.eventId, bad.envelope.eventId, after.envelope.eventId]));
    expect(await letters()).toEqual({ deadLetters: 0, letters: [], nextCursor: null });
    expect(await metric()).toBe(0);
    const healthy = await ready();
    expect(healthy).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(healthy.body.degraded).toBeUndefined();
    expect(healthy.body.checks.probe.deadLetters).toBeUndefined();
  });

  it('lists a service’s letters a page at a time, and refuses a query it cannot answer', async () => {
    // Beyond the widened column too (bigint, after the test above): three letters.
    const bad = [wage(1e19), wage(2e19), wage(3e19)];
    await publishFacts(service.host, bad);
    const page = async (query: string) => {
      const answer = await http(service.host.baseUrl, 'GET', `/admin/dead-letters?${query}`, undefined, admin);
      expect(answer.status).toBe(200);
      return answer.body.probe as { deadLetters: number; letters: { eventId: string }[]; nextCursor: string | null };
    };
    const first = await page('limit=2');
    expect(first).toMatchObject({ deadLetters: 3, nextCursor: expect.any(String) });
    const second = await page(`service=probe&limit=2&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ deadLetters: 3, nextCursor: null });
    expect([...first.letters, ...second.letters].map((letter) => letter.eventId)).toEqual(bad.map((letter) => letter.envelope.eventId));
    // Past the last letter: none, and the count still says all of them.
    expect(await page(`service=probe&cursor=${'9'.repeat(18)}`)).toEqual({ deadLetters: 3, letters: [], nextCursor: null });

    const refused = async (query: string) => (await http(service.host.baseUrl, 'GET', `/admin/dead-letters?${query}`, undefined, admin)).body;
    expect(await refused(`cursor=${first.nextCursor}`)).toMatchObject({ status: 400, errors: [{ field: 'service', rule: 'cursor_needs_service' }] });
    expect(await refused('limit=0')).toMatchObject({ status: 400, errors: [{ field: 'limit' }] });
    expect(await refused('limit=2&oops=1')).toMatchObject({ status: 400, errors: [{ field: 'oops', rule: 'unknown_field' }] });
    expect(await refused('service=nowhere')).toMatchObject({ status: 404, rule: 'service_not_found' });
  });

  it('answers 404 to a retry of a letter or a service that does not exist', async () => {
    expect((await retry('999999')).status).toBe(404);
    expect((await retry('not-an-id')).status).toBe(404);
    expect((await http(service.host.baseUrl, 'POST', '/admin/dead-letters/nowhere/1/retry', undefined, admin)).status).toBe(404);
  });
});
