import { RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { StatisticsFact, StatisticsFactRecorded } from '../facts/statistics-fact';
import { Shares, TraineeFacts } from '../figures/trainee-figures';

/** A table of sums of every trainee's shares of some figures: how a trainee's shares are worked out, and each share's row. */
export interface SumsOfShares<Extra> {
  /** The key's columns, in its order (all text); then `value`. */
  key: string[];
  sharesOf(facts: TraineeFacts): { shares: Shares } & Extra;
  /** A share's row key: its cells, in the columns' order. */
  keyOf(shareKey: string): string[];
  /** One more column, set where a fact's shares give it a value (a course's title), else kept. */
  extra?: { column: string; of(shareKey: string, sharesOf: Extra): string | null };
}

/**
 * Adds what a stretch of the log's recorded facts change to a table of sums, in one read and one
 * statement. A fact's change is the trainee's shares with every fact of their stream up to it (by
 * stream version), less their shares with the facts before it. The changes of a stream's facts thus
 * add up to its shares with all of them, in whatever order the log holds them: and it may hold them
 * out of their stream's order, since it is read in the order of the transactions' ids, and a chunk of
 * messages whose transaction took its id first may append the later fact (after one whose transaction
 * took its id later, and committed first). The stream is this service's own log, so a rebuild reads the
 * same facts and arrives at the same sums. The stretch's changes are summed per row first, each row's
 * extra taken from the last fact in the log that changed it: the table ends as one upsert a fact, in
 * the log's order, would leave it (a row a fact added to and the next took back from is there with 0).
 */
export async function addShareChanges<Extra>(tx: PoolClient, table: string, events: RecordedEvent<StatisticsFactRecorded>[], sums: SumsOfShares<Extra>): Promise<void> {
  const recorded = events.filter((event) => event.type === 'StatisticsFactRecorded');
  if (recorded.length === 0) return;
  const factsOf = await factsBefore(tx, recorded);
  for (const event of recorded) factsOf.get(event.streamId)!.push({ version: event.streamVersion, fact: event.data.fact });
  for (const facts of factsOf.values()) facts.sort((a, b) => a.version - b.version);
  const change = new Map<string, { value: number; extra: string | null }>();
  for (const event of recorded) {
    const facts = factsOf.get(event.streamId)!;
    const upTo = facts.findIndex((each) => each.version === event.streamVersion);
    const earlier = facts.slice(0, upTo).map((each) => each.fact);
    const before = sums.sharesOf(new TraineeFacts(earlier)).shares;
    const after = sums.sharesOf(new TraineeFacts([...earlier, event.data.fact]));
    const changed = (shareKey: string, by: number) => {
      const row = change.get(shareKey) ?? { value: 0, extra: null };
      row.value += by;
      if (sums.extra) row.extra = sums.extra.of(shareKey, after) ?? row.extra;
      change.set(shareKey, row);
    };
    for (const [shareKey, value] of after.shares) if (value !== (before.get(shareKey) ?? 0)) changed(shareKey, value - (before.get(shareKey) ?? 0));
    for (const [shareKey, value] of before) if (!after.shares.has(shareKey)) changed(shareKey, -value);
  }
  if (change.size === 0) return;
  // In key order, as each event's upsert was.
  const rows = [...change.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([shareKey, { value, extra }]) => ({ key: sums.keyOf(shareKey), value, extra }));
  await addToSums(tx, table, sums.key, rows, sums.extra?.column);
}

/**
 * Each trainee's facts before the lowest version of theirs in the stretch (not its first in the log:
 * see addShareChanges), with their versions, in their order: one read for the stretch. Every trainee
 * of the stretch has a list, empty when nothing came before.
 */
async function factsBefore(tx: PoolClient, recorded: RecordedEvent<StatisticsFactRecorded>[]): Promise<Map<string, Array<{ version: number; fact: StatisticsFact }>>> {
  const lowestVersions = new Map<string, number>();
  for (const event of recorded) lowestVersions.set(event.streamId, Math.min(event.streamVersion, lowestVersions.get(event.streamId) ?? Infinity));
  const { rows } = await tx.query<{ stream_id: string; version: number; fact: StatisticsFact }>(
    `SELECT e.stream_id, e.stream_version AS version, e.data -> 'fact' AS fact
       FROM unnest($1::text[], $2::int[]) AS lowest(stream_id, version)
       JOIN events e ON e.stream_id = lowest.stream_id AND e.stream_version < lowest.version
      ORDER BY e.stream_id, e.stream_version`,
    [[...lowestVersions.keys()], [...lowestVersions.values()]],
  );
  const factsOf = new Map([...lowestVersions.keys()].map((streamId) => [streamId, [] as Array<{ version: number; fact: StatisticsFact }>]));
  for (const row of rows) factsOf.get(row.stream_id)!.push({ version: row.version, fact: row.fact });
  return factsOf;
}

/**
 * Adds a share change to a table of sums in one statement: `columns` are the key's (in its order, all
 * text) then `value`; `extra` is one more column set from the rows where given (a course's title).
 */
async function addToSums(tx: PoolClient, table: string, key: string[], rows: { key: string[]; value: number; extra?: string | null }[], extra?: string): Promise<void> {
  const columns = [...key, 'value', ...(extra ? [extra] : [])];
  const types = [...key.map(() => 'text[]'), 'bigint[]', ...(extra ? ['text[]'] : [])];
  const values = [...key.map((_, n) => rows.map((row) => row.key[n])), rows.map((row) => row.value), ...(extra ? [rows.map((row) => row.extra ?? null)] : [])];
  await tx.query(
    `INSERT INTO ${table} (${columns.join(', ')})
     SELECT * FROM unnest(${types.map((type, n) => `$${n + 1}::${type}`).join(', ')})
     ON CONFLICT (${key.join(', ')}) DO UPDATE SET value = ${table}.value + excluded.value${extra ? `, ${extra} = coalesce(excluded.${extra}, ${table}.${extra})` : ''}`,
    values,
  );
}
