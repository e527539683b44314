import { PoolClient } from 'pg';
import { Database } from './database';
import { appendToStream, ConcurrencyError, DomainEvent, EventMetadata, readStream, RecordedEvent } from './event-store';
import { enqueueMessages, OutboxMessage } from './outbox';

/** What folding a stream needs: where to start and how each event changes the state. */
export interface Evolver<State, Event extends DomainEvent> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
}

/** An aggregate is a pair of pure functions over its own events; no framework types inside. */
export interface Aggregate<State, Command, Event extends DomainEvent> extends Evolver<State, Event> {
  /** Returns the new events, or throws a DomainRefusal naming the rule. */
  decide: (command: Command, state: State, now: Date) => Event[];
}

export interface CommandRequest<State, Command, Event extends DomainEvent> {
  streamId: string;
  aggregate: Aggregate<State, Command, Event>;
  command: Command;
  metadata: EventMetadata;
  /** Integration events derived from the new events; written to the outbox in the same transaction. */
  integrationEvents?: (recorded: RecordedEvent<Event>[], state: State) => OutboxMessage[];
  /** Further writes that must commit with the events, such as uniqueness claims across streams. */
  inTransaction?: (tx: PoolClient, recorded: RecordedEvent<Event>[], state: State) => Promise<void>;
}

export interface CommandResult<State, Event extends DomainEvent> {
  state: State;
  events: RecordedEvent<Event>[];
  version: number;
}

const MAX_ATTEMPTS = 5;

export function foldStream<State, Event extends DomainEvent>(aggregate: Evolver<State, Event>, events: Event[]): State {
  return events.reduce(aggregate.evolve, aggregate.initialState());
}

/**
 * Load, fold, decide, append at the expected version, all in one transaction. Writers of the same
 * stream queue on an advisory lock instead of racing, so a hot aggregate (a course filling up) is
 * decided one command at a time; the expected-version check still guards writers that bypass it,
 * and a conflict is retried a bounded number of times.
 */
export class CommandHandler {
  constructor(
    private readonly database: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async handle<State, Command, Event extends DomainEvent>(
    request: CommandRequest<State, Command, Event>,
  ): Promise<CommandResult<State, Event>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.database.transaction((tx) => this.decideAndAppend(tx, request));
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The same, inside a transaction the caller owns: for a consumer whose inbox record must commit
   * with the events it causes. A version conflict is not retried here; it aborts the caller's work.
   */
  handleInTransaction<State, Command, Event extends DomainEvent>(tx: PoolClient, request: CommandRequest<State, Command, Event>): Promise<CommandResult<State, Event>> {
    return this.decideAndAppend(tx, request);
  }

  /** Reads the current state of a stream (strongly consistent, straight from the log). */
  async load<State, Event extends DomainEvent>(streamId: string, aggregate: Evolver<State, Event>) {
    const events = await readStream<Event>(this.database, streamId);
    return { state: foldStream(aggregate, events), version: events.length };
  }

  private async decideAndAppend<State, Command, Event extends DomainEvent>(
    tx: PoolClient,
    request: CommandRequest<State, Command, Event>,
  ): Promise<CommandResult<State, Event>> {
    const { streamId, aggregate } = request;
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [streamId]);
    const history = await readStream<Event>(tx, streamId);
    const current = foldStream(aggregate, history);
    const newEvents = aggregate.decide(request.command, current, this.clock());
    // Nothing to record (a repeated erasure, a duplicate): no append, no side writes.
    if (newEvents.length === 0) return { state: current, events: [], version: history.length };
    const { recorded, nextExpectedVersion } = await appendToStream(
      tx,
      this.database.schema,
      streamId,
      history.length,
      newEvents,
      request.metadata,
    );
    const state = newEvents.reduce(aggregate.evolve, current);
    if (request.inTransaction) await request.inTransaction(tx, recorded, state);
    if (request.integrationEvents) await enqueueMessages(tx, this.database.schema, request.integrationEvents(recorded, state));
    return { state, events: recorded, version: nextExpectedVersion };
  }
}
