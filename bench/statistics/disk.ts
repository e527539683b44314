import { statfsSync } from 'node:fs';
import { Client } from 'pg';
import { READ_MODEL } from './bulk-load';
import { FACTS } from './national-data';

/** Free bytes where the server keeps its data; undefined when that is not on this machine (DATABASE_URL elsewhere). */
export async function freeBytesOfServer(sql: Client): Promise<{ directory: string; free: number | undefined }> {
  const directory = (await sql.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory;
  try {
    const stats = statfsSync(directory);
    return { directory, free: stats.bavail * stats.bsize };
  } catch {
    return { directory, free: undefined };
  }
}

export interface SizesOnDisk {
  facts: number;
  factRows: number;
  readModel: number;
  readModelHeap: number;
  readModelIndexes: number;
  readModelRows: number;
}

export async function sizesOnDisk(sql: Client): Promise<SizesOnDisk> {
  const { rows } = await sql.query<Record<keyof SizesOnDisk, string>>(`
    SELECT (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${FACTS}' AND c.relkind = 'r')::text AS "facts",
           (SELECT sum(reltuples) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = '${FACTS}' AND c.relname IN ('certificates', 'assessments', 'hires', 'trainee_categories'))::bigint::text AS "factRows",
           pg_total_relation_size('${READ_MODEL}')::text AS "readModel",
           pg_relation_size('${READ_MODEL}')::text AS "readModelHeap",
           pg_indexes_size('${READ_MODEL}')::text AS "readModelIndexes",
           (SELECT count(*) FROM ${READ_MODEL})::text AS "readModelRows"`);
  return Object.fromEntries(Object.entries(rows[0]).map(([name, value]) => [name, Number(value)])) as unknown as SizesOnDisk;
}

export const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 10 * 1024 ** 3 ? 2 : 1)} GiB`;
