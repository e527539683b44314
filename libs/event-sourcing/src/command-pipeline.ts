import { Clock, DomainRefusal, UnknownEntity } from '@skills/domain-kernel';
import { endsOwnedByCaller, isUniqueViolation, PG_DEADLOCK, PG_SERIALIZATION_FAILURE, Statement, TransactionEnds, Transactions } from '@skills/postgres';
import { PoolClient, QueryResult } from 'pg';
import { commandAuditMessage } from './audit-trail';
import { decideAll, DecideAllOutcome, DecideAllRequest, streamLock } from './decide-all';
import { isDryRun } from './dry-run';
import { ConcurrencyError, DecidedEvent, DomainEvent, EventMetadata, eventsOf, isVersionConflict, prepareAppend, readStream, readStreamStatement, RecordedEvent } from './event-store';
import { OutboxMessage, outboxStatement } from './outbox';
import { startStreams, StartStreamOutcome, StartStreamsRequest } from './start-streams';

/** What folding a stream needs: where to start and how each event changes the state. */
export interface Evolver<State, Event extends DomainEvent> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
}

/** An aggregate is a pair of pure functions over its own events; no framework types inside. */
export interface Aggregate<State, Command, Event extends DomainEvent> extends Evolver<State, Event> {
  /** Returns the new events, or throws a DomainRefusal naming the rule. `now` is the pipeline's clock. */
  decide: (command: Command, state: State, now: Date) => Event[];
}

// ---- which stream, and what it must be ------------------------------------------------------

/** What a command needs of its stream before it is decided (emmett's STREAM_EXISTS / STREAM_DOES_NOT_EXIST). */
export type StreamExpectation = 'mustExist' | 'mustNotExist' | 'either';

export interface StreamRef {
  streamId: string;
  expect: StreamExpectation;
  /** For mustExist: what the 404 names (`course`, and the id the client sent). */
  missing?: { entity: string; id: string };
}

/** The stream must exist; otherwise the pipeline answers 404 naming `entity` and `id`. */
export const mustExist = (streamId: string, entity: string, id: string): StreamRef => ({ streamId, expect: 'mustExist', missing: { entity, id } });
/** A new stream (a registration under a fresh id): an existing one is refused with `stream_exists`. */
export const mustNotExist = (streamId: string): StreamRef => ({ streamId, expect: 'mustNotExist' });
/** Either way (a trainee's ladder in an occupation starts with the first certificate). */
export const eitherWay = (streamId: string): StreamRef => ({ streamId, expect: 'either' });

/** A state the pipeline has seen exist (mustExist): the aggregate's `unknown` case is ruled out. */
export type Existing<State> = Exclude<State, { status: 'unknown' }>;

// ---- uniqueness across streams ----------------------------------------------------------------

/**
 * A value only one stream may hold (a credit code, an identity number's hash, one active employment of
 * a trainee at an employer): a row in `table`, whose primary key is `key`, naming its holder. Inserted
 * in the command's transaction, so concurrent commands collide on the key and exactly one wins; the
 * others are refused by `rule` (409) with the holder's id as `existingId`.
 */
export interface UniqueClaim {
  table: string;
  key: Record<string, string>;
  holder: { column: string; id: string };
  rule: string;
  detail: string;
  context?: Record<string, unknown>;
  /** The refusal does not name the holder (`existingId`): who holds a username is no business of whoever tries it. */
  holderUnnamed?: true;
}

class ClaimTaken extends Error {
  constructor(readonly claim: UniqueClaim) {
    super(`${claim.table}: ${claim.rule}`);
  }
}

/** The claim's row, sent with the command's last statements; a taken one fails on the table's primary key. */
function claimStatement(claim: UniqueClaim): Statement {
  const columns = [...Object.keys(claim.key), claim.holder.column];
  const values = [...Object.values(claim.key), claim.holder.id];
  return { text: `INSERT INTO ${claim.table} (${columns.join(', ')}) VALUES (${columns.map((_, n) => `$${n + 1}`).join(', ')})`, values };
}

// ---- the command ------------------------------------------------------------------------------

export interface CommandRequest<State, Command, Event extends DomainEvent> {
  stream: StreamRef;
  aggregate: Aggregate<State, Command, Event>;
  /**
   * The command, or how to build it from the stream's current state inside the transaction (what it
   * reads there is judged under the stream's lock, e.g. a placement's occupation for a level check).
   * A builder names its return type (`async (placement, tx): Promise<HireTrainee> => …`): TypeScript
   * does not keep the literal `type` of a command returned by a function whose type it is inferring.
   */
  command: Command | CommandBuilder<State, Command>;
  /**
   * A fact the command needs that another service owns (a trainee an enrolment names, in this service's
   * replica), read with the stream in the first round trip: without a row, `unmet()` is thrown once the
   * stream is found and the command is judged on it without that fact, so that its own refusals (the
   * caller's permission, a course that does not exist) come first: the caller of a command refused
   * anyway neither learns whether the fact exists nor makes the service wait for it.
   */
  requires?: { statement: Statement; unmet: () => Error };
  /** Values this command takes for its stream alone; a function of the new state where the key depends on it. */
  claims?: UniqueClaim[] | ((state: State) => UniqueClaim[]);
  /** Integration events derived from the new events; written to the outbox in the same transaction. */
  integrationEvents?: (decided: DecidedEvent<Event>[], state: State) => OutboxMessage[];
  /**
   * The organisation whose resource the stream is, for the audit log, when it is not the actor's own
   * (a platform admin disabling a school's user: the school's administrator must see it).
   */
  auditedFor?: (state: State) => string | null;
  /**
   * Further writes that must commit with the events and need no answer (a key, a relation, an index
   * row): sent with the claims, the outbox rows and the COMMIT, in the command's last round trip.
   */
  sideWrites?: (decided: DecidedEvent<Event>[], state: State) => Statement[];
  /**
   * Further work in the transaction that must read what it writes; each of its queries is a round trip
   * of its own. It runs before the events are sent (with the last statements), so it cannot read them.
   */
  inTransaction?: (tx: PoolClient, decided: DecidedEvent<Event>[], state: State) => Promise<void>;
}

/** Builds the command inside the transaction, from the stream's state and the caller who sent it. */
export type CommandBuilder<State, Command> = (state: State, tx: PoolClient, caller: CommandCaller) => Command | Promise<Command>;

export interface CommandResult<State, Event extends DomainEvent> {
  state: State;
  events: RecordedEvent<Event>[];
  version: number;
}

/** Who sent the command and in answer to what. */
export type CommandCaller = Pick<EventMetadata, 'correlationId' | 'causationId' | 'actor'>;

/**
 * Where the pipeline finds the caller of the command being handled (the request context of the HTTP
 * call or of the message consumed). The one place the caller goes from: into the command (a builder
 * receives it) and into every event's metadata.
 */
export type CommandContext = () => CommandCaller;

/** Told the ids of the integration messages a command enqueued (before its transaction commits). */
export type EnqueuedListener = (messageIds: string[]) => void;

const MAX_ATTEMPTS = 5;

/** Thrown to roll a dry run's own transaction back once its outcome is known (see `rolledBack`). */
const ROLLED_BACK = new Error('dry run: rolled back');

export function foldStream<State, Event extends DomainEvent>(aggregate: Evolver<State, Event>, events: Event[]): State {
  return events.reduce(aggregate.evolve, aggregate.initialState());
}

/**
 * The one path of every command in every service: in one transaction (joined to an HTTP request's
 * when it carries an Idempotency-Key, see Transactions), lock the stream, load and fold it, check what
 * the command expects of it (404 / stream_exists), build and decide the command with the clock's
 * `now`, append at the expected version, claim unique values (409 with existingId), run the extra
 * writes and enqueue the integration events and, for a user's command, its audit line. Writers of
 * the same stream queue on an advisory lock instead of racing; the expected-version check still guards
 * writers that bypass it, and a version conflict is retried a bounded number of times. The caller's
 * context (correlation, actor) goes into every event's metadata here, and only here. In a dry run
 * (isDryRun) all of it runs the same, and is rolled back: with the dry run's transaction when it joins
 * it, else its own at once; its messages are announced to nobody, as they will never be published.
 */
export class CommandPipeline {
  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly context: CommandContext,
    private readonly onEnqueued: EnqueuedListener = () => undefined,
  ) {}

  async handle<State, Command, Event extends DomainEvent>(request: CommandRequest<State, Command, Event>): Promise<CommandResult<State, Event>> {
    for (let attempt = 1; ; attempt++) {
      try {
        // A dry run's writes join its transaction, rolled back at its end; one that could not join it
        // (another service's database in the all-in-one process) is rolled back here, at once.
        if (isDryRun() && !this.transactions.joinsShared) return await this.rolledBack(request);
        return await this.transactions.runCompact((tx, ends) => this.decideAndAppend(tx, ends, request));
      } catch (error) {
        if (error instanceof ClaimTaken) throw await this.refusalFor(error.claim);
        if (!(error instanceof ConcurrencyError || this.rolledBackAsVictim(error)) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Postgres chose this transaction to end a deadlock (or a serialization failure): nothing of it was
   * kept, and it is decided again from the start, as after a version conflict, rather than answered 500.
   * Not in a shared transaction (an Idempotency-Key's), which the error has aborted as a whole.
   */
  private rolledBackAsVictim(error: unknown): boolean {
    const code = (error as { code?: string } | undefined)?.code;
    return (code === PG_DEADLOCK || code === PG_SERIALIZATION_FAILURE) && !this.transactions.joinsShared;
  }

  /**
   * The same, inside a transaction the caller owns: for a consumer whose inbox record must commit
   * with the events it causes. A version conflict is not retried here; it aborts the caller's work.
   */
  handleInTransaction<State, Command, Event extends DomainEvent>(tx: PoolClient, request: CommandRequest<State, Command, Event>): Promise<CommandResult<State, Event>> {
    return this.decideAndAppend(tx, endsOwnedByCaller(tx), request);
  }

  /**
   * Many new streams (fresh ids) in the caller's transaction, with a few statements for all of them
   * (startStreams): for bulk imports. Each command is decided by the aggregate as `handle` would on a
   * new stream; a refused one (its claim taken included) is answered as such, the others are recorded.
   */
  async startStreamsInTransaction<State, Command, Event extends DomainEvent>(tx: PoolClient, request: StartStreamsRequest<State, Command, Event>): Promise<StartStreamOutcome<State, Event>[]> {
    const { outcomes, messages } = await startStreams(tx, { schema: this.transactions.database.schema, caller: this.context(), now: this.clock.now() }, request);
    if (!isDryRun()) this.onEnqueued(messages.map((message) => message.envelope.eventId));
    return outcomes;
  }

  /**
   * Many commands on streams that may exist (decideAll), in the caller's transaction, with a few
   * statements for all of them: for bulk imports onto existing streams. A refused command is answered
   * as such; the others are recorded.
   */
  async decideAllInTransaction<State, Command, Event extends DomainEvent>(tx: PoolClient, request: DecideAllRequest<State, Command, Event>): Promise<DecideAllOutcome<State, Event>[]> {
    const { outcomes, messages } = await decideAll(tx, { schema: this.transactions.database.schema, caller: this.context(), now: request.now ?? this.clock.now() }, request);
    if (!isDryRun()) this.onEnqueued(messages.map((message) => message.envelope.eventId));
    return outcomes;
  }

  /** How the aggregate would decide each command on a new stream, recording nothing (a bulk import's dry run). */
  refusalsOfNew<State, Command, Event extends DomainEvent>(aggregate: Aggregate<State, Command, Event>, commands: Command[]): Array<DomainRefusal | null> {
    const now = this.clock.now();
    return commands.map((command) => {
      try {
        aggregate.decide(command, aggregate.initialState(), now);
        return null;
      } catch (error) {
        if (error instanceof DomainRefusal) return error;
        throw error;
      }
    });
  }

  /** Reads a stream's current state straight from the log; with mustExist, 404 when there is none. */
  async load<State, Event extends DomainEvent>(stream: StreamRef, aggregate: Evolver<State, Event>): Promise<{ state: State; version: number }> {
    const events = await readStream<Event>(this.transactions.database, stream.streamId);
    checkExpectation(stream, events.length);
    return { state: foldStream(aggregate, events), version: events.length };
  }

  /** The state of a stream the command refers to (a course's provider): 404 when it does not exist. */
  async existing<State, Event extends DomainEvent>(stream: StreamRef, aggregate: Evolver<State, Event>): Promise<Existing<State>> {
    return (await this.load({ ...stream, expect: 'mustExist' }, aggregate)).state as Existing<State>;
  }

  /** The command's outcome, decided and appended in a transaction that is then rolled back. */
  private async rolledBack<State, Command, Event extends DomainEvent>(request: CommandRequest<State, Command, Event>): Promise<CommandResult<State, Event>> {
    let outcome: CommandResult<State, Event> | undefined;
    await this.transactions
      .run(async (tx) => {
        outcome = await this.decideAndAppend(tx, endsOwnedByCaller(tx), request);
        throw ROLLED_BACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLED_BACK) throw error;
      });
    return outcome as CommandResult<State, Event>;
  }

  /**
   * Two round trips when the transaction is the command's own: BEGIN, the stream's lock, its events and
   * the transaction's time (the events' recorded_at); then the append, the claims, the side writes, the
   * outbox rows and COMMIT. A builder's reads and an `inTransaction` hook add theirs. What goes with the
   * append is made from the decided events (their ids, versions and time); their places in the log come
   * back with the COMMIT.
   */
  private async decideAndAppend<State, Command, Event extends DomainEvent>(
    tx: PoolClient,
    ends: TransactionEnds,
    request: CommandRequest<State, Command, Event>,
  ): Promise<CommandResult<State, Event>> {
    const { stream, aggregate } = request;
    const [locked, read, required] = await ends.open([
      { text: `SELECT ${streamLock('$1')}, now() AS now`, values: [stream.streamId] },
      readStreamStatement(stream.streamId),
      ...(request.requires ? [request.requires.statement] : []),
    ]);
    const history = eventsOf<Event>(read.rows);
    checkExpectation(stream, history.length);
    const current = foldStream(aggregate, history);
    const caller = this.context();
    const command = typeof request.command === 'function' ? await (request.command as CommandBuilder<State, Command>)(current, tx, caller) : request.command;
    const now = this.clock.now();
    const newEvents = aggregate.decide(command, current, now);
    if (request.requires && required.rows.length === 0) throw request.requires.unmet();
    // Nothing to record (a repeated erasure, a duplicate): no append, no side writes.
    if (newEvents.length === 0) return { state: current, events: [], version: history.length };
    const { schema } = this.transactions.database;
    const recordedAt = (locked.rows[0].now as Date).toISOString();
    const append = prepareAppend(tx, schema, stream.streamId, history.length, newEvents, caller, recordedAt);
    const { decided } = append;
    const state = newEvents.reduce(aggregate.evolve, current);
    if (request.inTransaction) await request.inTransaction(tx, decided, state);
    const claims = typeof request.claims === 'function' ? request.claims(state) : (request.claims ?? []);
    // A user's command is audited with its events or not at all (the schema is the service's name).
    const audit = commandAuditMessage(schema, command, decided, caller, now, request.auditedFor?.(state));
    const messages = [...(request.integrationEvents?.(decided, state) ?? []), ...(audit ? [audit] : [])];
    const outbox = outboxStatement(tx, schema, messages);
    let appended: QueryResult;
    try {
      [appended] = await ends.close([append.statement, ...claims.map(claimStatement), ...(request.sideWrites?.(decided, state) ?? []), ...(outbox ? [outbox] : [])]);
    } catch (error) {
      // A writer that bypassed the lock appended first: decided again (handle) on the new state.
      if (isVersionConflict(error)) throw new ConcurrencyError(stream.streamId, history.length);
      // Concurrent commands collide on a claim's key: the one that comes second is refused (refusalFor).
      const taken = claims.find((claim) => isUniqueViolation(error, `${claim.table}_pkey`));
      throw taken ? new ClaimTaken(taken) : error;
    }
    // A dry run's messages are rolled back with it: nothing will be published, nobody waits for it.
    if (!isDryRun()) this.onEnqueued(messages.map((message) => message.envelope.eventId));
    return { state, events: append.recordedFrom(appended), version: history.length + decided.length };
  }

  /** Read after the command rolled back: the holder committed first, so it is visible on the pool. */
  private async refusalFor(claim: UniqueClaim): Promise<DomainRefusal> {
    if (claim.holderUnnamed) return new DomainRefusal(claim.rule, claim.detail, claim.context);
    const where = Object.keys(claim.key).map((column, n) => `${column} = $${n + 1}`);
    const { rows } = await this.transactions.database.query<{ holder: string }>(
      `SELECT ${claim.holder.column} AS holder FROM ${claim.table} WHERE ${where.join(' AND ')}`,
      Object.values(claim.key),
    );
    return new DomainRefusal(claim.rule, claim.detail, { ...claim.context, existingId: rows[0]?.holder });
  }
}

function checkExpectation(stream: StreamRef, version: number): void {
  if (stream.expect === 'mustExist' && version === 0) {
    const { entity, id } = stream.missing ?? { entity: 'stream', id: stream.streamId };
    throw new UnknownEntity(entity, id);
  }
  if (stream.expect === 'mustNotExist' && version > 0) throw new DomainRefusal('stream_exists', `${stream.streamId} already exists`, { streamId: stream.streamId });
}
