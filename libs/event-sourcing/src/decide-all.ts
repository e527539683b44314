// Many commands on streams that may exist already (a bulk import's historical certificates, on their
// holders' ladders) in the caller's transaction and a handful of statements: the streams locked and
// read at once, each command decided in memory as CommandPipeline.handle would decide it (a later
// command on the same stream sees the earlier one's events), every event appended in one statement
// and every message enqueued in one more.
import { DomainRefusal, NotPermitted, UnknownEntity } from '@skills/domain-kernel';
import { PoolClient } from 'pg';
import { commandAuditMessage } from './audit-trail';
import type { Aggregate, CommandCaller, CommandResult } from './command-pipeline';
import { appendToStreams, DomainEvent, EventMetadata, readStreams, RecordedEvent } from './event-store';
import { enqueueMessages, OutboxMessage } from './outbox';
import type { StartStreamsContext } from './start-streams';

export interface StreamCommand<Command> {
  streamId: string;
  command: Command;
  /** Who caused this command, where not the batch's caller: a consumer's batch, each command from its own message. */
  caller?: CommandCaller;
}

export interface DecideAllRequest<State, Command, Event extends DomainEvent> {
  aggregate: Aggregate<State, Command, Event>;
  /** In the order they are decided: the order of the rows they come from. */
  commands: StreamCommand<Command>[];
  integrationEvents?: (recorded: RecordedEvent<Event>[], state: State) => OutboxMessage[];
  /** When the commands are decided, where the caller decided them already at a time (an import's plan); else the clock's now. */
  now?: Date;
  /**
   * Streams the caller has locked (lockStreams), read and folded in this transaction already (an import's
   * plan): their version and state as read, so they are not read and folded again.
   */
  read?: ReadonlyMap<string, { version: number; state: State }>;
}

/** A stream of the batch: its version and state as read, then as decided, and the events decided on it. */
interface StreamInBatch<State, Event> {
  version: number;
  state: State;
  events: Event[];
  /** Each event's metadata: its command's caller. */
  metadata: EventMetadata[];
}

/** Per command, in request order: its result, or the aggregate's refusal of it. */
export type DecideAllOutcome<State, Event extends DomainEvent> = { result: CommandResult<State, Event> } | { refusal: DomainRefusal | NotPermitted | UnknownEntity };

export async function decideAll<State, Command, Event extends DomainEvent>(
  tx: PoolClient,
  context: StartStreamsContext,
  request: DecideAllRequest<State, Command, Event>,
): Promise<{ outcomes: DecideAllOutcome<State, Event>[]; messages: OutboxMessage[] }> {
  const { aggregate } = request;
  const streamIds = [...new Set(request.commands.map((each) => each.streamId))].sort();
  await lockStreams(tx, streamIds);
  const unread = streamIds.filter((streamId) => !request.read?.has(streamId));
  const histories = unread.length > 0 ? await readStreams<Event>(tx, unread) : new Map<string, RecordedEvent<Event>[]>();
  const streams = new Map<string, StreamInBatch<State, Event>>(
    streamIds.map((streamId) => {
      const read = request.read?.get(streamId);
      if (read) return [streamId, { ...read, events: [], metadata: [] }];
      const history = histories.get(streamId) ?? [];
      return [streamId, { version: history.length, state: history.reduce(aggregate.evolve, aggregate.initialState()), events: [], metadata: [] }];
    }),
  );
  const outcomes: DecideAllOutcome<State, Event>[] = new Array(request.commands.length);
  const decided: Array<{ index: number; from: number; count: number; state: State; version: number }> = [];
  request.commands.forEach(({ streamId, command, caller = context.caller }, index) => {
    const stream = streams.get(streamId) as StreamInBatch<State, Event>;
    try {
      const events = aggregate.decide(command, stream.state, context.now);
      stream.state = events.reduce(aggregate.evolve, stream.state);
      decided.push({ index, from: stream.events.length, count: events.length, state: stream.state, version: stream.version + stream.events.length + events.length });
      stream.events.push(...events);
      stream.metadata.push(...events.map(() => caller));
    } catch (error) {
      if (!(error instanceof DomainRefusal || error instanceof NotPermitted || error instanceof UnknownEntity)) throw error;
      outcomes[index] = { refusal: error };
    }
  });
  // Appended stream by stream (log positions in id order); the messages below go out in the commands' order.
  const appended = [...streams].filter(([, stream]) => stream.events.length > 0);
  const recorded = await appendToStreams(
    tx,
    context.schema,
    appended.map(([streamId, stream]) => ({ streamId, expectedVersion: stream.version, events: stream.events, metadata: stream.metadata })),
    context.caller,
  );
  const recordedOf = new Map(appended.map(([streamId], n) => [streamId, recorded[n]]));
  const messages: OutboxMessage[] = [];
  for (const { index, from, count, state, version } of decided) {
    const { streamId, command, caller = context.caller } = request.commands[index];
    const events = (recordedOf.get(streamId) ?? []).slice(from, from + count);
    const audit = count > 0 ? commandAuditMessage(context.schema, command, events, caller, context.now) : null;
    messages.push(...(count > 0 ? (request.integrationEvents?.(events, state) ?? []) : []), ...(audit ? [audit] : []));
    outcomes[index] = { result: { state, events, version } };
  }
  await enqueueMessages(tx, context.schema, messages);
  return { outcomes, messages };
}

/**
 * The streams locked for the rest of the transaction, as a command on one of them locks it
 * (CommandPipeline waits on the same lock). Taken in id order: two batches on overlapping streams take
 * their locks in the same order, never in a deadlock. Again in the same transaction, it holds already.
 */
export async function lockStreams(tx: PoolClient, streamIds: string[]): Promise<void> {
  await tx.query(`SELECT ${streamLock('id')} FROM unnest($1::text[]) AS id`, [[...streamIds].sort()]);
}

/**
 * The SQL that locks one stream until the transaction ends, given the SQL of its id: every writer of a
 * stream takes this one lock (a command, a batch, a backfill), so all of them must spell it alike.
 */
export const streamLock = (streamIdSql: string): string => `pg_advisory_xact_lock(hashtextextended(${streamIdSql}, 0))`;
