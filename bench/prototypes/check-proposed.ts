// Checks that the proposed append (event-store-proposed.ts, PROPOSED options) keeps the store's
// contract: `node -r ./tools/register.js bench/prototypes/check-proposed.ts`. Same Postgres rules as run.ts.
import { ConcurrencyError, Database, EventStoreSchema, migrate, readStream } from '@skills/event-sourcing';
import assert from 'node:assert/strict';
import { createBenchDatabase, benchPostgres } from '../support/postgres';
import { appendToStreamProposed, PROPOSED } from './event-store-proposed';

async function main() {
  const postgres = await benchPostgres();
  const database = await createBenchDatabase(postgres.url, 'check');
  const db = new Database({ url: database.url, schema: 'bench', poolSize: 4 });
  try {
    await migrate(database.url, 'bench', [EventStoreSchema]);
    const metadata = { correlationId: 'c-1', actor: 'check' };
    const append = (stream: string, expected: number | 'any', count: number) =>
      db.transaction((tx) =>
        appendToStreamProposed(tx, 'bench', stream, expected, Array.from({ length: count }, (_, n) => ({ type: 'Happened', data: { n } })), metadata, PROPOSED),
      );

    const first = await append('s-1', 0, 3);
    assert.equal(first.nextExpectedVersion, 3);
    assert.deepEqual(first.recorded.map((event) => event.streamVersion), [1, 2, 3]);
    const stored = await readStream(db, 's-1');
    assert.deepEqual(
      first.recorded.map(({ eventId, type, data, streamVersion, position, recordedAt }) => ({ eventId, type, data, streamVersion, position, recordedAt })),
      stored.map(({ eventId, type, data, streamVersion, position, recordedAt }) => ({ eventId, type, data, streamVersion, position, recordedAt })),
      'what the append answers is what is stored',
    );

    await assert.rejects(append('s-1', 2, 1), (error) => error instanceof ConcurrencyError && error.actualVersion === 3, 'expected version behind');
    await assert.rejects(append('s-1', 5, 1), (error) => error instanceof ConcurrencyError && error.actualVersion === 3, 'expected version ahead');
    await assert.rejects(append('s-2', 1, 1), (error) => error instanceof ConcurrencyError && error.actualVersion === 0, 'stream does not exist');
    assert.equal((await append('s-1', 'any', 2)).nextExpectedVersion, 5);
    assert.equal((await append('s-1', 5, 0)).nextExpectedVersion, 5);

    // Two writers at the same expected version: exactly one wins, the other gets a ConcurrencyError.
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => append('s-3', 0, 1)));
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') assert.ok(outcome.reason instanceof ConcurrencyError);
    assert.equal((await readStream(db, 's-3')).length, 1);
    console.log('proposed appendToStream: contract holds (versions, conflicts behind/ahead/racing, any, empty, answers = stored rows)');
  } finally {
    await db.close();
    await database.drop();
    await postgres.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
