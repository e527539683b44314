import { Context, SERVICE_NAMES, serviceUrlVariable, TOPICS } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { INTERNAL_SECRET_HEADER } from '../trainee-ages';

/**
 * Where a topic's facts stand in the outbox of the service that accepts them: `last`, the highest outbox id
 * of the topic not yet published (0: none); `left`, how many rows of the topic at or below `upTo` (without
 * it: all of them) are still there. The relay deletes a row once the broker has it, so "none left at or
 * below the last id seen on arrival" is "every fact accepted then is on the broker".
 */
export interface OutboxPosition {
  last: number;
  left: number;
}

/** The path every service answers OutboxPosition on (OutboxPositionController), for a service deployed apart. */
export const outboxPositionPath = (topic: string, upTo?: number) =>
  `/internal/v1/outbox-positions/${encodeURIComponent(topic)}${upTo === undefined ? '' : `?upTo=${upTo}`}`;

/** The rule of the 404 a service answers for a topic whose outbox is not in its process. */
export const OUTBOX_NOT_HERE_RULE = 'outbox_not_here';

/** The context whose outbox publishes `topic` (undefined for one without a single source: the audit topic's are many). */
export const contextOfTopic = (topic: string): Context | undefined => (Object.entries(TOPICS) as [Context, string][]).find(([, name]) => name === topic)?.[0];

/** The service deployed for a context (`trainee-service`), when one is. */
export const serviceOfContext = (context: Context) => SERVICE_NAMES.find((name) => name === `${context}-service`);

/** The variable that says where that service is (TRAINEE_SERVICE_URL), as the gateway and TraineeAges read it. */
export const sourceUrlVariable = (topic: string): string | undefined => {
  const context = contextOfTopic(topic);
  const service = context && serviceOfContext(context);
  return service && serviceUrlVariable(service);
};

/** Read in the source's own database: by its controller, and by CatchUp where the source runs in the same process. */
export async function readOutboxPosition(database: Database, topic: string, upTo?: number): Promise<OutboxPosition> {
  const { rows } = await database.query<{ last: string | null; left: string }>(
    'SELECT max(id)::text AS last, count(*) FILTER (WHERE $2::bigint IS NULL OR id <= $2::bigint)::text AS left FROM outbox WHERE topic = $1',
    [topic, upTo ?? null],
  );
  return { last: Number(rows[0].last ?? 0), left: Number(rows[0].left) };
}

/** The source could not be asked (no answer, a refused or missing secret, a 404 of another host): nothing is known. */
export class OutboxPositionUnknown extends Error {}

/**
 * The source has no such route: a platform service of before it (a rolling upgrade), whose router answers
 * its own 404 ("Cannot GET …"). Waiting on it would refuse every decision until it is upgraded; the asker
 * waits for the broker only, as it says. Any other 404 (the route's own, one without INTERNAL_API_SECRET,
 * a gateway's or a proxy's) is OutboxPositionUnknown: not caught up, 503.
 */
export class OutboxPositionNotServed extends OutboxPositionUnknown {}

/**
 * Asks the service at `baseUrl` for a topic's OutboxPosition with INTERNAL_API_SECRET, by `deadline` (ms).
 * Only its 200 is an answer; anything else throws OutboxPositionUnknown.
 */
export async function askOutboxPosition(baseUrl: string, topic: string, upTo: number | undefined, deadline: number): Promise<OutboxPosition> {
  const secret = process.env.INTERNAL_API_SECRET;
  if (!secret) throw new OutboxPositionUnknown(`INTERNAL_API_SECRET is not set: the outbox of ${topic} cannot be asked`);
  const answer = await fetch(new URL(outboxPositionPath(topic, upTo), baseUrl), {
    headers: { [INTERNAL_SECRET_HEADER]: secret, accept: 'application/json' },
    signal: AbortSignal.timeout(Math.max(1, Math.min(5000, deadline - Date.now()))),
  }).catch(() => undefined);
  const body = (await answer?.json().catch(() => undefined)) as (Partial<OutboxPosition> & { detail?: unknown }) | undefined;
  if (answer?.status === 404 && typeof body?.detail === 'string' && body.detail.startsWith('Cannot GET ')) {
    throw new OutboxPositionNotServed(`the service at ${baseUrl} has no outbox-positions route (a version of before it)`);
  }
  if (answer?.status !== 200 || !Number.isSafeInteger(body?.last) || !Number.isSafeInteger(body?.left)) {
    throw new OutboxPositionUnknown(`the outbox of ${topic} did not answer (${answer?.status ?? 'no answer'})`);
  }
  return { last: body!.last!, left: body!.left! };
}
