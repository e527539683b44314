// HTTP tests as specifications (emmett's ApiSpecification), in the language of the domain:
//
//   const spec = apiSpec({ host, databaseUrl, service: 'training' });
//   await spec
//     .given(stream(courseStreamId(id), scheduled), fact(TRAINEE_TOPIC, 'TraineeRegistered', registered))
//     .when('POST', `/api/v1/courses/${id}/enrollments`, { traineeId })
//     .then(409, [], { rule: 'course_full' });
//
// `given` appends past events to the service's own streams, as its aggregates recorded them, and hands
// facts other services published to its consumers through the host's bus (the in-process transport
// waits until every handler has applied them). `then` checks the status, the events the request
// appended to the service's log (type and data, each a subset), and optionally a subset of the body.
import { currentSchemaVersion, TRAINEE_TOPIC, TraineeRegisteredV4 } from '@skills/contracts';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { MESSAGE_PUBLISHER } from '@skills/messaging';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TestHost } from './test-host';
import { http } from './test-host';

export interface PastEvents {
  streamId: string;
  events: { type: string; data: unknown }[];
}

/** A message another service published, as its outbox hands it to the bus. */
export type Fact = OutboxMessage;

/** Events a stream of the service under test holds before the request. */
export const stream = (streamId: string, ...events: { type: string; data: unknown }[]): PastEvents => ({ streamId, events });

/** A message another service published (libs/contracts shapes), as its outbox would send it. */
export function fact(topic: string, type: string, payload: unknown, options: { key?: string; occurredAt?: string; aggregateVersion?: number; schemaVersion?: number } = {}): Fact {
  const key = options.key ?? randomUUID();
  return {
    topic,
    key,
    envelope: {
      eventId: randomUUID(),
      type,
      schemaVersion: options.schemaVersion ?? 1,
      aggregateId: key,
      aggregateVersion: options.aggregateVersion ?? 1,
      occurredAt: options.occurredAt ?? '2021-01-01',
      recordedAt: '2021-01-01T00:00:00.000Z',
      correlationId: randomUUID(),
      payload,
    },
  };
}

export interface ApiSpecOptions {
  host: TestHost;
  /** The database the host's service writes to, and the service's schema in it. */
  databaseUrl: string;
  service: string;
  /** The access token every request carries (a `when` may name another in its headers). */
  token?: string;
}

export interface RecordedByRequest {
  type: string;
  streamId: string;
  data: Record<string, unknown>;
}

export interface ApiSpec {
  given(...past: (PastEvents | Fact)[]): ApiSpecWhen;
  when(method: string, path: string, body?: unknown, headers?: Record<string, string>): ApiSpecThen;
  close(): Promise<void>;
}

export interface ApiSpecWhen {
  when(method: string, path: string, body?: unknown, headers?: Record<string, string>): ApiSpecThen;
}

export interface ApiSpecThen {
  /**
   * Status, the new events in order (each `{ type, data? }`, data compared as a subset), and a subset
   * of the answer's body. Resolves to the answer and the events, for further checks.
   */
  then(
    status: number,
    newEvents?: { type: string; data?: Record<string, unknown> }[],
    body?: Record<string, unknown>,
  ): Promise<{ status: number; body: any; events: RecordedByRequest[] }>;
}

export function apiSpec(options: ApiSpecOptions): ApiSpec {
  let client: Client | undefined;
  const sql = async () => {
    if (!client) {
      client = new Client({ connectionString: options.databaseUrl, options: `-c search_path=${options.service}` });
      await client.connect();
    }
    return client;
  };
  const head = async () => Number((await (await sql()).query<{ head: string }>('SELECT coalesce(max(global_position), 0)::text AS head FROM events')).rows[0].head);

  const arrange = async (past: (PastEvents | Fact)[]) => {
    const facts = past.filter((item): item is Fact => 'envelope' in item);
    for (const { streamId, events } of past.filter((item): item is PastEvents => 'streamId' in item)) await appendPast(await sql(), streamId, events);
    if (facts.length > 0) await publishFacts(options.host, facts);
  };

  const act = (arrangement: Promise<void>, method: string, path: string, body?: unknown, headers?: Record<string, string>): ApiSpecThen => ({
    async then(status, newEvents, expectedBody) {
      await arrangement;
      const before = await head();
      const answer = await http(options.host.baseUrl, method, path, body, { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...headers });
      const { rows } = await (await sql()).query<RecordedByRequest>(
        'SELECT event_type AS type, stream_id AS "streamId", data FROM events WHERE global_position > $1 ORDER BY global_position',
        [before],
      );
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status, ...(expectedBody ? { body: expectedBody } : {}) });
      if (newEvents) expect(rows).toMatchObject(newEvents.map((event) => ({ type: event.type, ...(event.data ? { data: event.data } : {}) })));
      if (newEvents) expect(rows).toHaveLength(newEvents.length);
      return { status: answer.status, body: answer.body, events: rows };
    },
  });

  return {
    given: (...past) => {
      const arrangement = arrange(past);
      arrangement.catch(() => undefined);
      return { when: (method, path, body, headers) => act(arrangement, method, path, body, headers) };
    },
    when: (method, path, body, headers) => act(Promise.resolve(), method, path, body, headers),
    close: async () => {
      await client?.end();
      client = undefined;
    },
  };
}

/** Appends as the service's event store does (same table, next versions), outside any command. */
async function appendPast(client: Client, streamId: string, events: { type: string; data: unknown }[]): Promise<void> {
  const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1', [streamId]);
  let version = Number(rows[0].version);
  for (const event of events) {
    version += 1;
    await client.query(
      `INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`,
      [streamId, version, randomUUID(), event.type, JSON.stringify(event.data), JSON.stringify({ correlationId: 'given' })],
    );
  }
}

/** Through the host's own bus (in-process: returns once every consumer has applied them), in batches. */
export async function publishFacts(host: TestHost, facts: Fact[]): Promise<void> {
  const publisher = host.app.get<MessagePublisher>(MESSAGE_PUBLISHER, { strict: false });
  for (let i = 0; i < facts.length; i += 100) await publisher.publish(facts.slice(i, i + 100));
}

/**
 * trainee-service's TraineeRegistered for `traineeId` (born 1990-01-01 in Zhuzhou), as other services
 * receive it: at the current schema version, registered by a platform admin unless `registeredBy` says.
 */
export function traineeRegisteredFact(traineeId: string, overrides: Partial<TraineeRegisteredV4> = {}): Fact {
  const payload: TraineeRegisteredV4 = { traineeId, nameMasked: '张*', categories: [], registeredOn: '2021-01-04', registeredBy: null, workingAgeFrom: null, ...overrides };
  return fact(TRAINEE_TOPIC, 'TraineeRegistered', payload, { key: traineeId, schemaVersion: currentSchemaVersion('TraineeRegistered') });
}
