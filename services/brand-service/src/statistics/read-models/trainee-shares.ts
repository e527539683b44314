import { RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { StatisticsFact, StatisticsFactRecorded } from '../facts/statistics-fact';
import { Shares, TraineeFacts } from '../figures/trainee-figures';

/**
 * What one recorded fact changes in a trainee's shares: their shares with every fact of their stream up
 * to it, less their shares with the facts before it. The stream is this service's own log, so a rebuild
 * reads the same facts in the same order and arrives at the same sums.
 */
export async function shareChange<Extra>(
  tx: PoolClient,
  event: RecordedEvent<StatisticsFactRecorded>,
  sharesOf: (facts: TraineeFacts) => { shares: Shares } & Extra,
): Promise<{ change: Shares } & Omit<Extra, 'shares'>> {
  const { rows } = await tx.query<{ fact: StatisticsFact }>(
    `SELECT data -> 'fact' AS fact FROM events WHERE stream_id = $1 AND stream_version < $2 ORDER BY stream_version`,
    [event.streamId, event.streamVersion],
  );
  const earlier = rows.map((row) => row.fact);
  const before = sharesOf(new TraineeFacts(earlier)).shares;
  const { shares: after, ...extra } = sharesOf(new TraineeFacts([...earlier, event.data.fact]));
  const change: Shares = new Map();
  for (const [key, value] of after) if (value !== (before.get(key) ?? 0)) change.set(key, value - (before.get(key) ?? 0));
  for (const [key, value] of before) if (!after.has(key)) change.set(key, -value);
  return { change, ...(extra as Omit<Extra, 'shares'>) };
}

/**
 * Adds a share change to a table of sums in one statement: `columns` are the key's (in its order, all
 * text) then `value`; `extra` is one more column set from the rows where given (a course's title).
 */
export async function addToSums(tx: PoolClient, table: string, key: string[], rows: { key: string[]; value: number; extra?: string | null }[], extra?: string): Promise<void> {
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
