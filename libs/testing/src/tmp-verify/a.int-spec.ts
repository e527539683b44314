import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { startEmbeddedPostgres } from '../../../event-sourcing/src/postgres/embedded-postgres';
import { aggregateSpec, startDedicatedKafka, waitFor } from '../index';

type Cmd = { type: 'Enrol'; who: string };
type Ev = { type: 'Enrolled'; who: string };
const course = {
  initialState: () => ({ enrolled: [] as string[] }),
  evolve: (s: { enrolled: string[] }, e: Ev) => ({ enrolled: [...s.enrolled, e.who] }),
  decide: (c: Cmd, s: { enrolled: string[] }, now: Date): Ev[] => {
    if (s.enrolled.length >= 2) throw Object.assign(new Error('full'), { rule: 'course is full' });
    return [{ type: 'Enrolled', who: c.who }];
  },
};
const given = aggregateSpec(course);

it('given/when/then', () => {
  const { state } = given({ type: 'Enrolled', who: 'a' }).when({ type: 'Enrol', who: 'b' }).then([{ type: 'Enrolled', who: 'b' }]);
  expect(state.enrolled).toEqual(['a', 'b']);
  expect(given({ type: 'Enrolled', who: 'a' }, { type: 'Enrolled', who: 'b' }).when({ type: 'Enrol', who: 'c' }).thenRefuses('is full').rule).toBe('course is full');
  expect(() => given().when({ type: 'Enrol', who: 'c' }).thenRefuses('full')).toThrow(/Expected a refusal/);
  expect(() => given().when({ type: 'Enrol', who: 'c' }).then([])).toThrow();
});

it('waitFor times out descriptively', async () => {
  await expect(waitFor(() => { expect(1).toBe(2); return true; }, { timeoutMs: 300, description: 'one to be two' })).rejects.toThrow(/waiting for one to be two: last attempt threw/);
  await expect(waitFor(async () => 42)).resolves.toBe(42);
});

it('embedded postgres from a worker, persistent across restart', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verify-pg-'));
  for (const expected of [1, 2]) {
    const pg = await startEmbeddedPostgres({ dataDir, persistent: expected === 2 ? false : true });
    const c = new Client(pg.url); await c.connect();
    await c.query('create table if not exists t(x int)'); await c.query('insert into t values (1)');
    const { rows } = await c.query('select count(*)::int n from t'); await c.end();
    expect(rows[0].n).toBe(expected);
    await pg.stop();
  }
});

it('dedicated broker survives stop/restart with data', async () => {
  const broker = await startDedicatedKafka();
  try {
    const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer(); await producer.connect();
    await producer.send({ topic: 'outage', messages: [{ value: 'before' }] });
    await producer.disconnect();
    const pid = broker.pid;
    await broker.stop();
    await broker.restart();
    expect(broker.pid).not.toBe(pid);
    const p2 = kafka.producer(); await p2.connect();
    await p2.send({ topic: 'outage', messages: [{ value: 'after' }] }); await p2.disconnect();
    const got: string[] = [];
    const consumer = kafka.consumer({ groupId: 'outage-g', maxWaitTimeInMs: 100 });
    await consumer.connect(); await consumer.subscribe({ topic: 'outage', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(String(message.value)) });
    await waitFor(() => got.length === 2, { timeoutMs: 30000, description: 'both' });
    expect(got.sort()).toEqual(['after', 'before']);
    await consumer.disconnect();
  } finally {
    await broker.destroy();
  }
});
