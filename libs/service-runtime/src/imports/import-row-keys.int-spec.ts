import { migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { knownKeysStatement } from './import-batches';
import { ImportRowKeysAppliedOrder, ImportRowKeysByTrainee, ImportRowKeysSchema, ImportRowKeysTrainee } from './import-row-keys.schema';

/** The plan's scans of a table, wherever they sit in it. */
function scansOf(plan: PlanNode, table: string): PlanNode[] {
  return [...(plan['Relation Name'] === table ? [plan] : []), ...(plan.Plans ?? []).flatMap((child) => scansOf(child, table))];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

describe("a batch's row keys looked up among everything its organisation imported before", () => {
  let testDatabase: TestDatabase;
  let sql: Client;
  const school = randomUUID();

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'svc', [ImportRowKeysSchema, ImportRowKeysTrainee, ImportRowKeysByTrainee, ImportRowKeysAppliedOrder]);
    sql = new Client({ connectionString: testDatabase.url, options: '-c search_path=svc' });
    await sql.connect();
    // The school's history: 5,000 rows imported before, and another school's.
    await sql.query(
      `INSERT INTO import_row_keys (organisation_id, kind, natural_key, key)
       SELECT $1::uuid, 'trainees', 'n' || i, 'k' || i FROM generate_series(1, 5000) AS i
       UNION ALL SELECT $2::uuid, 'trainees', 'n' || i, 'k' || i FROM generate_series(1, 100) AS i`,
      [school, randomUUID()],
    );
  });

  afterAll(async () => {
    await sql?.end();
    await testDatabase?.drop();
  });

  // Rows 2–4 were imported as they are, 5–6 with other cells before (corrections), 7–11 never.
  const batch = {
    organisationId: school,
    kind: 'trainees' as const,
    rows: [
      ...[1, 2, 3].map((i) => ({ naturalKey: `n${i}`, key: `k${i}` })),
      ...[4, 5].map((i) => ({ naturalKey: `n${i}`, key: `changed${i}` })),
      ...[1, 2, 3, 4, 5].map((i) => ({ naturalKey: `new${i}`, key: `k${i}` })),
    ].map((row, index) => ({ ...row, row: index + 2, traineeId: null, fields: {} })),
  };

  it('answers, row by row, which were applied before, and whether with the same cells', async () => {
    const { rows } = await sql.query<{ i: number; same: boolean }>(knownKeysStatement(batch));
    expect(Object.fromEntries(rows.map((row) => [batch.rows[row.i - 1].naturalKey, row.same]))).toEqual({ n1: true, n2: true, n3: true, n4: false, n5: false });
  });

  it("takes a row as present only with its natural key's latest cells: an earlier version is applied again", async () => {
    // v1 then its correction v2 for one person; two versions kept before the keys had an order (applied 0) for another.
    await sql.query(`INSERT INTO import_row_keys (organisation_id, kind, natural_key, key) VALUES ($1, 'trainees', 'twice', 'v1')`, [school]);
    await sql.query(`INSERT INTO import_row_keys (organisation_id, kind, natural_key, key) VALUES ($1, 'trainees', 'twice', 'v2')`, [school]);
    await sql.query(`INSERT INTO import_row_keys (organisation_id, kind, natural_key, key, applied) VALUES ($1, 'trainees', 'legacy', 'old1', 0), ($1, 'trainees', 'legacy', 'old2', 0)`, [school]);
    const versions = {
      ...batch,
      rows: [
        ['twice', 'v1'],
        ['twice', 'v2'],
        ['legacy', 'old1'],
        ['legacy', 'old2'],
      ].map(([naturalKey, key], index) => ({ naturalKey, key, row: index + 2, traineeId: null, fields: {} })),
    };
    // v1 followed by a later row of its file: a step the file takes (v1, then v2), present as it was applied;
    // a step never applied (v0) is present when the file's last word is the latest, and new when it is not.
    const step = (key: string, lastKeyInFile: string, row: number) => ({ naturalKey: 'twice', key, row, traineeId: null, fields: {}, lastKeyInFile });
    const stepped = { ...batch, rows: [step('v1', 'v2', 2), step('v0', 'v2', 3), step('v0', 'v1', 4)] };

    const { rows } = await sql.query<{ i: number; same: boolean }>(knownKeysStatement(versions));
    const { rows: steps } = await sql.query<{ i: number; same: boolean }>(knownKeysStatement(stepped));

    expect(rows.map((row) => [versions.rows[row.i - 1].key, row.same]).sort()).toEqual([
      ['old1', true],
      ['old2', true],
      ['v1', false],
      ['v2', true],
    ]);
    expect(steps.sort((a, b) => a.i - b.i)).toEqual([
      { i: 1, same: true },
      { i: 2, same: true },
      { i: 3, same: false },
    ]);
  });

  it("reads only the keys of the batch's own natural keys, not the organisation's whole history", async () => {
    // The rows known before, one key each (EXPLAIN gives a scan's rows per loop, rounded: 0.5 would read 0).
    const known = { ...batch, rows: batch.rows.filter((row) => !row.naturalKey.startsWith('new')) };
    const { text, values } = knownKeysStatement(known);
    const { rows } = await sql.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
    // Each row's natural key probed on the primary key, nothing read and filtered away; joined as a whole,
    // the plan read all 5,000 of the school's keys (and a scan per row would read them 5 times).
    const scans = scansOf(rows[0]['QUERY PLAN'][0].Plan, 'import_row_keys');
    expect(scans.map((scan) => [scan['Node Type'], scan['Index Name'], scan['Index Cond']?.includes('natural_key'), scan['Rows Removed by Filter'] ?? 0])).toEqual([
      [expect.stringMatching(/^Index (Only )?Scan$/), 'import_row_keys_pkey', true, 0],
    ]);
    expect(scans[0]['Actual Rows'] * scans[0]['Actual Loops']).toBe(5);
  });
});
