// Many new streams in one transaction and a handful of statements (a bulk import's registrations): the
// same aggregate decides each command as CommandPipeline.handle would on a new stream, and the claims,
// the events, the side writes and the messages of them all go in together, one statement per kind.
import { DomainRefusal } from '@skills/domain-kernel';
import { PoolClient } from 'pg';
import { commandAuditMessage } from './audit-trail';
import type { Aggregate, CommandCaller, CommandResult, UniqueClaim } from './command-pipeline';
import { appendToStreams, DomainEvent, RecordedEvent } from './event-store';
import { enqueueMessages, OutboxMessage } from './outbox';

/** A command that starts a stream under a fresh id; at most one claim (one statement per claim table). */
export interface NewStreamCommand<Command> {
  streamId: string;
  command: Command;
  claim?: UniqueClaim;
}

/** A stream the batch started: where it was in the request, what it recorded, its state. */
export interface StartedStream<State, Event extends DomainEvent> {
  index: number;
  recorded: RecordedEvent<Event>[];
  state: State;
}

export interface StartStreamsRequest<State, Command, Event extends DomainEvent> {
  aggregate: Aggregate<State, Command, Event>;
  streams: NewStreamCommand<Command>[];
  /** The started streams' further writes (keys, indexes), in bulk, in the same transaction. */
  inTransaction?: (tx: PoolClient, started: StartedStream<State, Event>[]) => Promise<void>;
  integrationEvents?: (recorded: RecordedEvent<Event>[], state: State) => OutboxMessage[];
}

/** Per command, in request order: its result, or its refusal (the aggregate's, or its claim taken). */
export type StartStreamOutcome<State, Event extends DomainEvent> = { result: CommandResult<State, Event> } | { refusal: DomainRefusal };

export interface StartStreamsContext {
  schema: string;
  caller: CommandCaller;
  now: Date;
}

export async function startStreams<State, Command, Event extends DomainEvent>(
  tx: PoolClient,
  context: StartStreamsContext,
  request: StartStreamsRequest<State, Command, Event>,
): Promise<{ outcomes: StartStreamOutcome<State, Event>[]; messages: OutboxMessage[] }> {
  const { aggregate } = request;
  const outcomes: StartStreamOutcome<State, Event>[] = new Array(request.streams.length);
  const decided: Array<{ index: number; events: Event[] }> = [];
  request.streams.forEach((stream, index) => {
    try {
      decided.push({ index, events: aggregate.decide(stream.command, aggregate.initialState(), context.now) });
    } catch (error) {
      if (!(error instanceof DomainRefusal)) throw error;
      outcomes[index] = { refusal: error };
    }
  });
  const recording = decided.filter(({ events }) => events.length > 0);
  const taken = await claimAll(tx, recording.flatMap(({ index }) => request.streams[index].claim ?? []));
  const winners = recording.filter(({ index }) => {
    const claim = request.streams[index].claim;
    if (claim && taken.has(claim)) outcomes[index] = { refusal: new DomainRefusal(claim.rule, claim.detail, { ...claim.context }) };
    return !outcomes[index];
  });
  const recorded = await appendToStreams(tx, context.schema, winners.map(({ index, events }) => ({ streamId: request.streams[index].streamId, events })), context.caller);
  const started = winners.map(({ index, events }, n) => ({ index, recorded: recorded[n], state: events.reduce(aggregate.evolve, aggregate.initialState()) }));
  await request.inTransaction?.(tx, started);
  const messages = started.flatMap(({ index, recorded: events, state }) => {
    const audit = commandAuditMessage(context.schema, request.streams[index].command, events, context.caller, context.now);
    return [...(request.integrationEvents?.(events, state) ?? []), ...(audit ? [audit] : [])];
  });
  await enqueueMessages(tx, context.schema, messages);
  for (const { index, recorded: events, state } of started) outcomes[index] = { result: { state, events, version: events.length } };
  // A command its aggregate decided to record nothing for (none do on a new stream today) changes nothing.
  for (const { index } of decided) outcomes[index] ??= { result: { state: aggregate.initialState(), events: [], version: 0 } };
  return { outcomes, messages };
}

/**
 * Inserts the claims, one statement per table (their columns typed by the table itself), and answers
 * those another holder has: a key held before, or twice in this batch (the first one wins).
 */
async function claimAll(tx: PoolClient, claims: UniqueClaim[]): Promise<Set<UniqueClaim>> {
  const taken = new Set<UniqueClaim>();
  const byTable = new Map<string, UniqueClaim[]>();
  for (const claim of claims) byTable.set(claim.table, [...(byTable.get(claim.table) ?? []), claim]);
  for (const [table, claims] of byTable) {
    // In key order: two batches claiming overlapping keys take their row locks in the same order, never in a deadlock.
    const group = [...claims].sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1));
    const holder = group[0].holder.column;
    const columns = [...Object.keys(group[0].key), holder];
    const { rows } = await tx.query<{ holder: string }>(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)
       ON CONFLICT DO NOTHING RETURNING ${holder}::text AS holder`,
      [JSON.stringify(group.map((claim) => ({ ...claim.key, [holder]: claim.holder.id })))],
    );
    const held = new Set(rows.map((row) => row.holder));
    for (const claim of group) if (!held.has(claim.holder.id)) taken.add(claim);
  }
  return taken;
}
