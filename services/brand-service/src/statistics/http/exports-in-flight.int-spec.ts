// One statistics file at a time per user (exports-in-flight.ts): a second CSV or .xlsx asked while the first
// is made is refused at once (429), for both statistics routes together; another user's file and the same
// user's JSON answers are not, and once the first is answered the same user exports again. The first is
// held deterministically: a transaction locks the region figures' table, so its read waits until released.
import { Database } from '@skills/postgres';
import { bearer, createTestDatabase, http, publishFacts, startTestHost, TestDatabase, TestHost, testIssuer } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { BrandModule } from '../../brand.module';
import { regionStatistics } from '../read-models/region-statistics.projection';
import { organisations, providerRegistered } from '../statistics-scenario';
import { XLSX_TYPE } from './table-export';

describe('statistics: one file export at a time per user', () => {
  let database: TestDatabase;
  let host: TestHost;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  const school = organisations().schoolZhuzhou;

  beforeAll(async () => {
    issuer = await testIssuer();
    database = await createTestDatabase();
    host = await startTestHost({ modules: [BrandModule], transport: 'in-process', databaseUrl: database.url });
    await publishFacts(host, [providerRegistered(school)]);
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  /** Locks the region figures until `release` is called: a region read started meanwhile waits. */
  async function holdRegionFigures(): Promise<{ release: () => Promise<void> }> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = host.app.get(Database, { strict: false }).transaction(async (tx) => {
      await tx.query(`LOCK TABLE ${regionStatistics.table} IN ACCESS EXCLUSIVE MODE`);
      locked();
      await released;
    });
    await isLocked;
    return { release: () => (release(), holding) };
  }

  /** Until a read of the region figures waits on the lock: the export that sent it holds its place. */
  async function untilWaitingOnTheLock(): Promise<void> {
    const db = host.app.get(Database, { strict: false });
    for (let tries = 0; tries < 200; tries += 1) {
      const { rows } = await db.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [`%FROM ${regionStatistics.table}%`],
      );
      if (rows[0].waiting > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the first export never reached the locked table');
  }

  it('refuses a second file of the same user while the first is made, not JSON nor another user’s, and takes the next once the first is answered', async () => {
    const officer = bearer(await issuer.token({ role: 'platform_admin', userId: randomUUID() }));
    const colleague = bearer(await issuer.token({ role: 'platform_admin', userId: randomUUID() }));
    const regionFile = (format: string) => `/api/v1/statistics/regions/430000?period=2025&format=${format}`;
    const outcomes = (format?: string) => `/api/v1/statistics/providers/${school.id}/outcomes?period=2025${format ? `&format=${format}` : ''}`;
    const get = (path: string, headers: Record<string, string>) => http(host.baseUrl, 'GET', path, undefined, headers);

    const held = await holdRegionFigures();
    let firstAnswered = false;
    const first = get(regionFile('xlsx'), officer).finally(() => (firstAnswered = true));
    try {
      await untilWaitingOnTheLock();

      // One allowance for both routes (the outcomes' table is not locked: refused or not, it answers at once).
      const second = await get(outcomes('csv'), officer);
      expect(second.status).toBe(429);
      expect(second.body).toMatchObject({ rule: 'too_many_in_flight', retryAfter: 1 });
      expect(second.headers.get('retry-after')).toBe('1');
      // A file asked by Accept counts as one asked by ?format=.
      expect((await get(outcomes(), { ...officer, accept: 'text/csv' })).status).toBe(429);
      expect((await get(regionFile('csv'), officer)).status).toBe(429);

      // Meanwhile another user's file, and the same user's JSON answer, are made.
      expect((await get(outcomes('xlsx'), colleague)).status).toBe(200);
      expect((await get(outcomes(), officer)).status).toBe(200);
      expect(firstAnswered).toBe(false);
    } finally {
      await held.release();
    }

    const answered = await first;
    expect(answered.status).toBe(200);
    expect(answered.headers.get('content-type')).toBe(XLSX_TYPE);
    // The first answered: its place is free again.
    expect((await get(regionFile('csv'), officer)).status).toBe(200);
  }, 60_000);
});
