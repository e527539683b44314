import { HttpException, HttpStatus, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { FactsPosition } from '@skills/contracts';
import { TRANSPORT_CONFIG, TransportConfig } from '@skills/messaging';
import { ProjectionRunner } from '@skills/event-sourcing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { askOutboxPosition, contextOfTopic, OutboxPosition, OutboxPositionNotServed, readOutboxPosition, sourceUrlVariable } from '../outbox-position/outbox-position';
import { RuntimeConfig } from '../runtime-config';
import { ServiceRegistry } from '../service-registry';
import { RUNTIME_CONFIG } from '../tokens';
import { waitUntil } from '../wait-until';


export interface Freshness {
  /** The instant up to which every fact accepted anywhere is included; null while some are still arriving. */
  completeUpTo: string | null;
  /** Facts other services had accepted that this answer does not include yet; null when that is not known (the broker or, on Kafka, a source service could not be asked; a brand's figures still being counted). */
  pendingFacts: number | null;
}

/**
 * The freshness of a read whose answer also lacks `parked` facts: messages this service's consumers could
 * not apply, waiting for an operator as dead letters (count them with unappliedLettersCount). No wait
 * brings them, so a read is answered as it stands, even with ?consistent=true, but never called complete:
 * no `completeUpTo`, and they are counted in `pendingFacts`. (A decision that stands on one is refused, FactsParked.)
 */
export const withParkedFacts = (freshness: Freshness, parked: number): Freshness =>
  parked === 0 ? freshness : { completeUpTo: null, pendingFacts: freshness.pendingFacts === null ? null : freshness.pendingFacts + parked };

/** The wait ran out: nothing was decided, and a repeat after Retry-After will most likely be judged. */
export class FactsNotCaughtUp extends HttpException {
  constructor(topics: string[]) {
    super(
      { message: `the facts of ${topics.join(', ')} have not all been applied here yet; nothing was decided, repeat the request`, rule: 'facts_not_caught_up', retryAfter: 2 },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

/**
 * One of the facts a decision stands on (`what`: "trainee 1234's from trainee-service") could not be applied
 * here and waits for an operator as a dead letter (/admin/dead-letters): the replica may show things as they
 * no longer are, so nothing is decided until it is applied. Answered as FactsNotCaughtUp is (503
 * facts_not_caught_up), with the reason; a dead letter names no personal data, nor does this.
 */
export class FactsParked extends HttpException {
  constructor(what: string) {
    super(
      { message: `a fact of ${what} could not be applied here and waits for an operator (a dead letter); nothing was decided, repeat the request once it is applied`, rule: 'facts_not_caught_up', retryAfter: 60 },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

/** How far a topic's source has published, asked of its outbox (`upTo`: how many rows at or below it are left). */
type SourceOutbox = (upTo?: number) => Promise<OutboxPosition>;

/**
 * The catch-up barrier: a decision that depends on another context's facts first waits until this
 * service has applied every event those contexts had accepted when it arrived (issue 14). With the
 * command answer waiting for publication (PublicationInterceptor), that covers a command answered a
 * moment ago, whoever sent it.
 *
 * - One process: the source modules' outboxes. The in-process relay deletes a message only once every
 *   handler applied (or parked) it, so "no message of that topic left at or below the last id seen on
 *   arrival" is "applied here".
 * - Kafka: first the source's outbox, as in one process: every row of the topic its service had accepted on
 *   arrival (the highest id then) must have left it, i.e. be on the broker. A command answered 201 with
 *   `Publication: pending` (PublicationInterceptor) still has its events there, and the broker's ends alone
 *   would not wait for them. The source module in this process is read directly; one deployed apart is
 *   asked over HTTP (OutboxPositionController at <SERVICE>_URL, e.g. TRAINEE_SERVICE_URL, with INTERNAL_API_SECRET); one that
 *   is configured but cannot be asked is not caught up (503), never "nothing to wait for". Where nothing
 *   says where the source is (a test host of one module) only the broker is asked, as a warning at the
 *   first such wait says. Then the topics' end offsets, read once that is done, against the offsets this
 *   service's consumer group has committed (kafkajs commits a message's offset only after its handler
 *   returned, after each batch). Asked of the broker, so it holds however many replicas of the service
 *   share the group.
 *
 * A decision that only needs "this id exists" asks it of the replica first and waits only when the id
 * is not there (`lookUp`): a known id costs nothing more.
 */
@Injectable()
export class CatchUp implements OnApplicationShutdown {
  private readonly logger = new Logger('CatchUp');
  private admin?: Promise<Admin>;
  /** Why topics' sources could not be asked, already warned of (warnOnce). */
  private readonly unaskable = new Set<string>();

  constructor(
    @Inject(TRANSPORT_CONFIG) private readonly transport: TransportConfig,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    private readonly registry: ServiceRegistry,
  ) {}

  /** Waits up to CATCH_UP_WAIT_MS; throws FactsNotCaughtUp (503, Retry-After) when that runs out. */
  async facts(topics: string[]): Promise<FactsPosition> {
    const deadline = Date.now() + this.config.catchUpWaitMs;
    // A broker that cannot be asked, or answers after the wait, is no more caught up than one that says "not yet".
    const target = await beforeDeadline(this.heads(topics, deadline), deadline).catch(() => {
      throw new FactsNotCaughtUp(topics);
    });
    const caughtUp = await waitUntil(
      async () => ((await beforeDeadline(this.behind(target), deadline).catch(() => undefined)) === 0 ? target : undefined),
      Math.max(0, deadline - Date.now()),
    );
    if (!caughtUp) throw new FactsNotCaughtUp(topics);
    return caughtUp;
  }

  /**
   * Something a replica of `topics` may not hold yet (a trainee, an organisation, an activation code),
   * looked for at once and then until it is found, or until every fact accepted when the request arrived
   * has been applied here and it is still not found (then undefined: it does not exist). So an id is
   * called unknown only on facts that have caught up, and one that arrives meanwhile is taken as it comes,
   * even while another partition is held back (an import's batch). Throws FactsNotCaughtUp (503) when
   * neither happens within CATCH_UP_WAIT_MS.
   */
  async lookUp<T>(topics: string[], find: () => Promise<T | undefined>): Promise<T | undefined> {
    const known = await find();
    if (known !== undefined) return known;
    // Whether the facts have caught up is asked beside the looks, not between them: a broker that cannot
    // be asked, or answers slowly, holds up no look (and is never "caught up").
    const watch = { caughtUp: false, over: false };
    const deadline = Date.now() + this.config.catchUpWaitMs;
    void this.heads(topics, deadline)
      .then((target) => waitUntil(async () => (watch.over || (await this.behind(target).catch(() => undefined)) === 0 ? true : undefined), Math.max(0, deadline - Date.now())))
      .then((done) => void (watch.caughtUp = done === true && !watch.over))
      .catch(() => undefined);
    const NOT_THERE = Symbol('not there');
    const outcome = await waitUntil<T | typeof NOT_THERE>(async () => {
      const found = await find();
      if (found !== undefined) return found;
      // Caught up: looked for once more, since it may have been applied between the two looks.
      return watch.caughtUp ? ((await find()) ?? NOT_THERE) : undefined;
    }, this.config.catchUpWaitMs).finally(() => (watch.over = true));
    if (outcome === undefined) throw new FactsNotCaughtUp(topics);
    return outcome === NOT_THERE ? undefined : outcome;
  }

  /**
   * For a read that shows figures: with `consistent`, waits like a decision (and for this service's own
   * projections), then the answer is complete up to the moment the request arrived; without, says how
   * many facts it does not hold yet.
   */
  async forRead(consistent: boolean, topics: string[], projections?: ProjectionRunner): Promise<Freshness> {
    const arrival = new Date().toISOString();
    if (consistent) {
      // One CATCH_UP_WAIT_MS for the facts and the projections together, as the 503 promises: a
      // client that waits that long (plus its own margin) gets an answer, not a read timeout.
      const deadline = Date.now() + this.config.catchUpWaitMs;
      await this.facts(topics);
      await projections?.caughtUp(Math.max(0, deadline - Date.now())).catch((error: Error) => {
        this.logger.warn(error.message);
        throw new FactsNotCaughtUp(topics.length > 0 ? topics : ['this service']);
      });
      return { completeUpTo: arrival, pendingFacts: 0 };
    }
    const facts = await this.pending(topics).catch(() => null);
    const own = (await projections?.behind()) ?? 0;
    const pendingFacts = facts === null ? null : facts + own;
    return { completeUpTo: pendingFacts === 0 ? arrival : null, pendingFacts };
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await (await admin?.catch(() => undefined))?.disconnect();
  }

  /**
   * Whether this service has applied every fact up to `target` (a FactsPosition, e.g. from `stampedBefore`),
   * without waiting: for a decision that must not wait where it is (HeldUntilLater). Throws when the
   * broker cannot be asked.
   */
  async hasApplied(target: FactsPosition): Promise<boolean> {
    return (await this.behind(target)) === 0;
  }

  /**
   * On Kafka, where the topic's messages stamped before `timestamp` (ms, the producer's clock) end: per
   * partition the offset of the first one stamped at or after it, or the end.
   */
  async stampedBefore(topic: string, timestamp: number): Promise<FactsPosition> {
    const offsets = await (await this.kafka()).fetchTopicOffsetsByTimestamp(topic, timestamp);
    return { [topic]: Object.fromEntries(offsets.map(({ partition, offset }) => [String(partition), Number(offset)])) };
  }

  /**
   * Where each topic's facts end. In one process: the last outbox id now. On Kafka: the broker's ends, read
   * once the sources have published every fact they had accepted on arrival; rejects when that is not so
   * by `deadline` (ms), or a source cannot be asked.
   */
  private async heads(topics: string[], deadline: number): Promise<FactsPosition> {
    if (this.transport.transport === 'in-process') {
      const heads: FactsPosition = {};
      for (const topic of topics) {
        const source = this.sourceOf(topic);
        const { rows } = source ? await source.database.query<{ last: string | null }>('SELECT max(id)::text AS last FROM outbox WHERE topic = $1', [topic]) : { rows: [{ last: null }] };
        heads[topic] = { outbox: Number(rows[0].last ?? 0) };
      }
      return heads;
    }
    if (!(await this.published(topics, deadline))) throw new FactsNotCaughtUp(topics);
    return this.brokerEnds(topics);
  }

  /** On Kafka, where each topic's partitions end on the broker now. */
  private async brokerEnds(topics: string[]): Promise<FactsPosition> {
    const ends: FactsPosition = {};
    for (const topic of topics) {
      const offsets = await (await this.kafka()).fetchTopicOffsets(topic);
      ends[topic] = Object.fromEntries(offsets.map(({ partition, high }) => [String(partition), Number(high)]));
    }
    return ends;
  }

  /**
   * On Kafka, whether every fact of `topics` their sources had accepted when this was called has left their
   * outboxes (is on the broker) by `deadline`. A source that does not answer is asked again until then.
   */
  private async published(topics: string[], deadline: number): Promise<boolean> {
    const waiting = new Map(topics.flatMap((topic) => {
      const outbox = this.sourceOutbox(topic, deadline);
      return outbox ? [[topic, outbox] as const] : [];
    }));
    // The last id of each topic seen on arrival: only what was accepted before is waited for.
    const arrival = new Map<string, number>();
    const done = await waitUntil(async () => {
      await Promise.all(
        [...waiting].map(async ([topic, outbox]) => {
          const seen = arrival.get(topic);
          const position = await outbox(seen).catch((error: Error) => {
            // A source of before the route (a rolling upgrade): the broker only, as before it, said once.
            if (error instanceof OutboxPositionNotServed) waiting.delete(topic);
            this.warnOnce(topic, `${error.message}: a decision on ${topic} ${error instanceof OutboxPositionNotServed ? 'waits for the broker only' : 'waits for it, then answers 503'}`);
            return undefined;
          });
          if (position && seen === undefined) arrival.set(topic, position.last);
          if (position?.left === 0) waiting.delete(topic);
        }),
      );
      return waiting.size === 0 ? true : undefined;
    }, Math.max(0, deadline - Date.now()));
    return done === true;
  }

  /** Facts of `topics` accepted anywhere and not applied here yet, as one count; rejects when that is not known. */
  private async pending(topics: string[]): Promise<number> {
    if (this.transport.transport === 'in-process') return this.behind(await this.heads(topics, Date.now()));
    const deadline = Date.now() + this.config.catchUpWaitMs;
    // What each source holds unpublished now, asked side by side: a read that does not wait should not queue its questions.
    const unpublished = await Promise.all(topics.map(async (topic) => (await this.sourceOutbox(topic, deadline)?.())?.left ?? 0));
    return unpublished.reduce((sum, left) => sum + left, 0) + (await this.behind(await this.brokerEnds(topics)));
  }

  /**
   * On Kafka, how to ask a topic's source how far it has published: its module's outbox where it runs in
   * this process, else the service at its URL variable (TRAINEE_SERVICE_URL), asked by `deadline`.
   * undefined where neither is known (a test host of one module): only the broker's ends are waited for then.
   */
  private sourceOutbox(topic: string, deadline: number): SourceOutbox | undefined {
    const source = this.sourceOf(topic);
    if (source) {
      return async (upTo) => {
        const position = await readOutboxPosition(source.database, topic, upTo);
        if (position.left > 0) source.relay.wake();
        return position;
      };
    }
    const variable = sourceUrlVariable(topic);
    const url = variable && process.env[variable];
    if (url) return (upTo) => askOutboxPosition(url, topic, upTo, deadline);
    if (variable) this.warnOnce(topic, `${variable} is not set: a decision on ${topic} waits for the broker only, not for facts its source has accepted but not yet published`);
    return undefined;
  }

  /** Why a topic's source cannot be asked, logged once per topic and reason: a reason for the 503s, not a line per request. */
  private warnOnce(topic: string, why: string): void {
    const said = `${topic} ${why}`;
    if (this.unaskable.has(said)) return;
    this.unaskable.add(said);
    this.logger.warn(why);
  }

  /** Facts up to `target` not applied here yet. */
  private async behind(target: FactsPosition): Promise<number> {
    const topics = Object.keys(target);
    if (topics.length === 0) return 0;
    let behind = 0;
    if (this.transport.transport === 'in-process') {
      for (const [topic, positions] of Object.entries(target)) {
        const source = this.sourceOf(topic);
        if (!source || !positions.outbox) continue;
        const { rows } = await source.database.query<{ left: string }>('SELECT count(*)::text AS left FROM outbox WHERE topic = $1 AND id <= $2', [topic, positions.outbox]);
        if (Number(rows[0].left) > 0) source.relay.wake();
        behind += Number(rows[0].left);
      }
      return behind;
    }
    // One question to the broker for every topic's committed offsets.
    const committed = await (await this.kafka()).fetchOffsets({ groupId: this.transport.clientId, topics });
    for (const [topic, positions] of Object.entries(target)) {
      const partitions = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
      const done = new Map(partitions.map(({ partition, offset }) => [String(partition), Math.max(0, Number(offset))]));
      for (const [partition, end] of Object.entries(positions)) behind += Math.max(0, end - (done.get(partition) ?? 0));
    }
    return behind;
  }

  /** The module of this process whose outbox publishes the topic (in one process, every source). */
  private sourceOf(topic: string) {
    const context = contextOfTopic(topic);
    return context ? this.registry.get(context) : undefined;
  }

  private kafka(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = new Kafka({ clientId: `${this.transport.clientId}-catch-up`, brokers: this.transport.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }
}

/** `work`'s answer, or a rejection at `deadline` (ms): a broker's client may retry for longer than a request waits. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer before the wait ran out')), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
