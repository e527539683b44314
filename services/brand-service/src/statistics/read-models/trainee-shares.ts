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
  /** The shares counted again in each of the trainee's categories (categories-counted.ts); `sharesOf` gives everyone's. */
  categories?: CategoryCounting;
}

/** Which categories a trainee is counted in, and up to which fact of theirs: kept in the table of sums itself. */
export interface Counted {
  categories: string[];
  /** The stream version the trainee's shares in the categories were counted up to. */
  version: number;
}

export interface CategoryCounting {
  read(tx: PoolClient, table: string, traineeIds: string[]): Promise<Map<string, Counted>>;
  /** `null`: counted in none any longer. */
  write(tx: PoolClient, table: string, changes: Map<string, Counted | null>): Promise<void>;
  inCategories(everyone: Shares, categories: string[]): Shares;
}

/**
 * Adds what a stretch of the log's recorded facts change to a table of sums, in one read and one
 * statement. A fact's change is the trainee's shares with every fact of their stream up to it (by
 * stream version), less their shares with the facts before it. The changes of a stream's facts thus
 * add up to its shares with all of them, in whatever order and stretches the log holds them: and it may
 * hold them out of their stream's order, since it is read in the order of the transactions' ids, and a
 * chunk of messages whose transaction took its id first may append the later fact (after one whose
 * transaction took its id later, and committed first), which a stretch may then hold without the one
 * before it. A fact is appended only once its stream's earlier ones are committed, so they are all there
 * to read. The stream is this service's own log, so a rebuild arrives at the same sums. The stretch's
 * changes are summed per row first, each row's extra taken from the last fact in the log that changed
 * it: the table ends as one upsert a fact, in the log's order, would leave it (a row a fact added to and
 * the next took back from is there with 0). The shares in the trainee's categories are counted otherwise
 * (countInCategories): the log's categories of an erased person are emptied under the sums.
 */
export async function addShareChanges<Extra>(tx: PoolClient, table: string, events: RecordedEvent<StatisticsFactRecorded>[], sums: SumsOfShares<Extra>): Promise<void> {
  const recorded = events.filter((event) => event.type === 'StatisticsFactRecorded');
  if (recorded.length === 0) return;
  const counted = sums.categories ? await sums.categories.read(tx, table, [...new Set(recorded.map((event) => event.data.traineeId))]) : new Map<string, Counted>();
  const factsOf = await factsUpTo(tx, recorded, (event) => counted.get(event.data.traineeId)?.version ?? 0);
  const change = new Map<string, { value: number; extra: string | null }>();
  // A share whose extra alone changed (a course's corrected title) is a change of 0 that sets it.
  const add = (before: Shares, after: Shares, extraOf?: (shareKey: string) => string | null, extraBefore?: (shareKey: string) => string | null) => {
    const changed = (shareKey: string, by: number) => {
      const row = change.get(shareKey) ?? { value: 0, extra: null };
      row.value += by;
      if (extraOf) row.extra = extraOf(shareKey) ?? row.extra;
      change.set(shareKey, row);
    };
    for (const [shareKey, value] of after) {
      const by = value - (before.get(shareKey) ?? 0);
      if (by !== 0 || (extraOf && extraBefore && extraOf(shareKey) !== extraBefore(shareKey))) changed(shareKey, by);
    }
    for (const [shareKey, value] of before) if (!after.has(shareKey)) changed(shareKey, -value);
  };
  const recounted = new Map<string, Counted | null>();
  for (const event of recorded) {
    const facts = factsOf.get(event.streamId) ?? [];
    const earlier = facts.filter((each) => each.version < event.streamVersion).map((each) => each.fact);
    const after = sums.sharesOf(new TraineeFacts([...earlier, event.data.fact]));
    const before = sums.sharesOf(new TraineeFacts(earlier));
    const { extra } = sums;
    add(
      before.shares,
      after.shares,
      extra && ((shareKey) => extra.of(shareKey, after)),
      extra && ((shareKey) => extra.of(shareKey, before)),
    );
    if (sums.categories) {
      const { traineeId } = event.data;
      const now = countInCategories(sums, sums.categories, facts, counted.get(traineeId), event.streamVersion, add);
      if (now !== undefined) {
        if (now) counted.set(traineeId, now);
        else counted.delete(traineeId);
        recounted.set(traineeId, now);
      }
    }
  }
  if (recounted.size > 0) await sums.categories?.write(tx, table, recounted);
  if (change.size === 0) return;
  // In key order, as each event's upsert was.
  const rows = [...change.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([shareKey, { value, extra }]) => ({ key: sums.keyOf(shareKey), value, extra }));
  await addToSums(tx, table, sums.key, rows, sums.extra?.column);
}

/**
 * A trainee's shares in their categories are their shares of everyone's figures with all their facts up to
 * one version (Counted), not a sum of each fact's change: so that what they are counted in can be taken
 * out whole (an erasure, a void) by the categories the table kept, though the log no longer holds them
 * (forgetErasedCategories), and a rebuild from that log arrives at the same sums. A fact beyond that
 * version counts them up to it; one below it (the log held it out of its stream's order) was counted
 * already. `undefined`: nothing changed; `null`: counted in none any longer.
 */
function countInCategories<Extra>(
  sums: SumsOfShares<Extra>,
  counting: CategoryCounting,
  facts: Array<{ version: number; fact: StatisticsFact }>,
  was: Counted | undefined,
  version: number,
  add: (before: Shares, after: Shares) => void,
): Counted | null | undefined {
  const upTo = Math.max(was?.version ?? 0, version);
  const known = new TraineeFacts(facts.filter((each) => each.version <= upTo).map((each) => each.fact));
  const categories = known.categories;
  const same = was !== undefined && upTo === was.version && categories.join() === was.categories.join();
  if (same || (was === undefined && categories.length === 0)) return undefined;
  const before = was ? counting.inCategories(sums.sharesOf(new TraineeFacts(facts.filter((each) => each.version <= was.version).map((each) => each.fact))).shares, was.categories) : new Map();
  add(before, counting.inCategories(sums.sharesOf(known).shares, categories));
  return categories.length > 0 ? { categories, version: upTo } : null;
}

/**
 * Each trainee's facts up to the highest version of theirs in the stretch (or `counted`, where higher), with
 * their versions, in their order (the stretch's own among them, and any between them the stretch does not hold): one read.
 */
async function factsUpTo(
  tx: PoolClient,
  recorded: RecordedEvent<StatisticsFactRecorded>[],
  counted: (event: RecordedEvent<StatisticsFactRecorded>) => number,
): Promise<Map<string, Array<{ version: number; fact: StatisticsFact }>>> {
  const highestVersions = new Map<string, number>();
  for (const event of recorded) highestVersions.set(event.streamId, Math.max(event.streamVersion, counted(event), highestVersions.get(event.streamId) ?? 0));
  const { rows } = await tx.query<{ stream_id: string; version: number; fact: StatisticsFact }>(
    `SELECT e.stream_id, e.stream_version AS version, e.data -> 'fact' AS fact
       FROM unnest($1::text[], $2::int[]) AS highest(stream_id, version)
       JOIN events e ON e.stream_id = highest.stream_id AND e.stream_version <= highest.version
      ORDER BY e.stream_id, e.stream_version`,
    [[...highestVersions.keys()], [...highestVersions.values()]],
  );
  const factsOf = new Map<string, Array<{ version: number; fact: StatisticsFact }>>();
  for (const row of rows) {
    const facts = factsOf.get(row.stream_id);
    if (facts) facts.push({ version: row.version, fact: row.fact });
    else factsOf.set(row.stream_id, [{ version: row.version, fact: row.fact }]);
  }
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
