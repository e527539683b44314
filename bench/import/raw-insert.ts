import { performance } from 'node:perf_hooks';
import { Client, Connection } from 'pg';
import { TraineeRow } from './files';

/** What Postgres itself can take of the same rows, with no service in the way: the ceiling an import is held against. */
export interface RawInsertResult {
  label: string;
  rows: number;
  seconds: number;
}

const CHUNK_ROWS = 5000;
const COPY_MESSAGE_BYTES = 64 * 1024;
const TRIES = 3;

/**
 * `COPY … FROM STDIN` into a bare table (no key, no index) in one statement, and the multi-row
 * `INSERT … SELECT FROM unnest(…)` in 5,000-row chunks that ImportJobs.create uses for its job rows, in
 * one transaction: the raw limit, and the best the service's own insert form gives. Each the best of
 * three tries; the time includes turning the rows into COPY text or arrays.
 */
export async function measureRawInserts(client: Client, rows: TraineeRow[]): Promise<RawInsertResult[]> {
  await client.query(`DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (name text NOT NULL, id_number text NOT NULL, phone text NOT NULL, region_code text)`);
  try {
    const copy = await bestOf(client, () => copyFromStdin(client, 'COPY bench_raw (name, id_number, phone, region_code) FROM STDIN', copyText(rows)));
    const insert = await bestOf(client, () => insertInChunks(client, rows));
    return [
      { label: 'COPY … FROM STDIN (bare table)', rows: rows.length, seconds: copy },
      { label: `bulk INSERT … unnest, ${CHUNK_ROWS.toLocaleString('en')}-row chunks`, rows: rows.length, seconds: insert },
    ];
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_raw');
  }
}

/** The fastest of a few tries into the emptied table (the first pays for a cold table and connection); seconds. */
async function bestOf(client: Client, write: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < TRIES; attempt++) {
    await client.query('TRUNCATE bench_raw');
    const began = performance.now();
    await write();
    best = Math.min(best, (performance.now() - began) / 1000);
  }
  return best;
}

/** In one transaction, as ImportJobs.create writes its job rows. */
async function insertInChunks(client: Client, rows: TraineeRow[]): Promise<void> {
  await client.query('BEGIN');
  for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
    const chunk = rows.slice(from, from + CHUNK_ROWS);
    await client.query('INSERT INTO bench_raw (name, id_number, phone, region_code) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])', [
      chunk.map((row) => row.name),
      chunk.map((row) => row.idNumber),
      chunk.map((row) => row.phone),
      chunk.map((row) => row.regionCode),
    ]);
  }
  await client.query('COMMIT');
}

/** COPY's text format: tab-separated, one line a row (the generated values hold no tab, newline or backslash). */
function copyText(rows: TraineeRow[]): Buffer[] {
  const messages: Buffer[] = [];
  let lines: string[] = [];
  let bytes = 0;
  for (const row of rows) {
    const line = `${row.name}\t${row.idNumber}\t${row.phone}\t${row.regionCode}\n`;
    lines.push(line);
    bytes += Buffer.byteLength(line);
    if (bytes >= COPY_MESSAGE_BYTES) {
      messages.push(Buffer.from(lines.join('')));
      lines = [];
      bytes = 0;
    }
  }
  if (lines.length > 0) messages.push(Buffer.from(lines.join('')));
  return messages;
}

/**
 * COPY FROM STDIN through pg's query interface (a "submittable", as pg-copy-streams does it), so the
 * benchmark needs no dependency for it: the server answers the statement with CopyInResponse, the data
 * follows as CopyData messages, then CopyDone; the command tag names the rows copied.
 */
function copyFromStdin(client: Client, text: string, data: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let copied = 0;
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(copied);
    };
    const submittable = {
      submit: (connection: Connection) => connection.query(text),
      handleCopyInResponse: (connection: Connection & { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void }) => {
        for (const message of data) connection.sendCopyFromChunk(message);
        connection.endCopyFrom();
      },
      handleCommandComplete: (message: { text: string }) => {
        copied = Number(message.text.split(' ').pop());
      },
      handleReadyForQuery: () => settle(null),
      handleError: (error: Error) => settle(error),
      handleRowDescription: () => undefined,
      handleDataRow: () => undefined,
      handleEmptyQuery: () => undefined,
      handlePortalSuspended: () => undefined,
      handleCopyData: () => undefined,
    };
    client.query(submittable as unknown as Parameters<Client['query']>[0]);
  });
}
