// Reading a backup's directory before anything is written: its manifest (a version this code reads), every
// file against the manifest's size and SHA-256, and the few values the key check needs.
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BackupManifest, copyTextFields, MANIFEST_FILE, SchemaBackup, TableBackup } from '@skills/service-runtime';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** Why a backup is not restored; nothing was written. */
export class BackupRefusal extends Error {
  override name = 'BackupRefusal';
}

export function readManifest(directory: string): BackupManifest {
  const path = join(directory, MANIFEST_FILE);
  if (!existsSync(path)) throw new BackupRefusal(`${path} is missing: not a backup, or one that did not finish`);
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<BackupManifest>;
  } catch {
    throw new BackupRefusal(`${path} is not JSON: not a backup this platform reads`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupRefusal(`${path} is not a ${BACKUP_FORMAT} manifest`);
  if (manifest.formatVersion !== BACKUP_FORMAT_VERSION)
    throw new BackupRefusal(`${path} is of backup format version ${manifest.formatVersion}, this platform (${BACKUP_FORMAT} version ${BACKUP_FORMAT_VERSION}) cannot read it`);
  return manifest as BackupManifest;
}

/** Every file against the manifest: the first that is missing, of another size or another checksum is named. */
export async function verifyFiles(directory: string, manifest: BackupManifest): Promise<void> {
  for (const schema of manifest.schemas) {
    for (const table of schema.tables) {
      const path = join(directory, table.file);
      if (!existsSync(path)) throw new BackupRefusal(`${table.file} is missing from the backup: nothing was restored`);
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
      }
      if (bytes !== table.bytes || hash.digest('hex') !== table.sha256)
        throw new BackupRefusal(`${table.file} does not match its checksum in the manifest (corrupted or altered): nothing was restored`);
    }
  }
}

/** A table's first row, as column → text (COPY's text form), or undefined when it has none. */
export async function firstRow(directory: string, schema: SchemaBackup | undefined, tableName: string): Promise<Record<string, string | null> | undefined> {
  for await (const row of tableRows(directory, schema, tableName)) return row;
  return undefined;
}

/**
 * A table's rows in the order copied, each as column → text (COPY's text form, null for NULL): none when
 * the backup has no such table. Read as asked: a reader that stops early reads no further.
 */
export async function* tableRows(directory: string, schema: SchemaBackup | undefined, tableName: string): AsyncGenerator<Record<string, string | null>> {
  const table: TableBackup | undefined = schema?.tables.find((candidate) => candidate.name === tableName);
  if (!table || table.rows === 0) return;
  const gunzip = createGunzip();
  const reading = pipeline(createReadStream(join(directory, table.file)), gunzip).catch(() => undefined);
  const lines = createInterface({ input: gunzip, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const fields = copyTextFields(line);
      yield Object.fromEntries(table.columns.map((column, index) => [column, fields[index] ?? null]));
    }
  } finally {
    lines.close();
    gunzip.destroy();
    await reading;
  }
}
