import { Projection, RecordedEvent } from '@skills/event-sourcing';
import { Sql } from '@skills/postgres';
import { PoolClient } from 'pg';
import { RuntimeConfig } from '@skills/service-runtime';
import { EvaluatorEvent } from '../../evaluators/evaluator.aggregate';
import { LadderEvent } from '../../ladder/ladder.aggregate';
import { SigningKeys } from '../keys/signing-keys';
import { credentialSigner, JsonDocument, SigningKey } from '../signing/credential-signer';
import { credentialOf } from './credential-document';
import { StatusLists } from './status-lists';

/** The projection's table: made by the projection itself (createTable), so only where it runs. */
const CREDENTIALS_TABLE = 'certificate_credentials';

/**
 * The signed credential of every certificate (`certificate_credentials`), made off the command's path:
 * a certification commits without waiting for it, and the credential follows as this projection reads
 * the log. An evaluator's registration makes its first signing key; a revocation sets the certificate's
 * entry in its evaluator's status list and signs the list again (the credential itself stays as issued).
 * A rebuild signs again with the same holder ids and status entries (StatusLists.allocateAll), and the
 * same words but for an occupation named since (occupationLabelsOf): a credential held from before still
 * verifies (CredentialVerification). A restore hands out new ones to a certificate that had none when its
 * backup was taken (credential_allocations is copied, this table is not).
 */
export function credentialsProjection(config: Pick<RuntimeConfig, 'publicOrigin'>): Projection<LadderEvent | EvaluatorEvent> {
  const keys = new SigningKeys(credentialSigner, config.publicOrigin);
  const lists = new StatusLists(credentialSigner, keys, config.publicOrigin);
  const projection: Projection<LadderEvent | EvaluatorEvent> = {
    name: 'certificate-credentials',
    table: CREDENTIALS_TABLE,
    async createTable(tx, table) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        certificate_number text PRIMARY KEY,
        evaluator_id uuid NOT NULL,
        credential jsonb NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      )`);
      // Which recording of its number the credential is of (1 but for a number recorded again after a void).
      await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS recording integer NOT NULL DEFAULT 1`);
    },
    async apply(tx, table, event) {
      switch (event.type) {
        case 'EvaluatorRegistered':
          await keys.current(tx, event.data.evaluatorId);
          return;
        case 'LevelCertified':
          await issueAll(tx, table, [event]);
          return;
        case 'CertificateRevoked':
          await lists.revoke(tx, event.data.certificateNumber, event.data.recording ?? 1, event.recordedAt);
          return;
        // Recorded in error: its credential's entry is revoked (a copy held anywhere fails), and the stored
        // credential goes, unless the number's next recording's took its place already (the log may hold
        // that one before this void: an import whose transaction began before the void committed).
        case 'CertificateVoided':
          await lists.revoke(tx, event.data.certificateNumber, event.data.recording ?? 1, event.recordedAt);
          await tx.query(`DELETE FROM ${table} WHERE certificate_number = $1 AND recording = $2`, [event.data.certificateNumber, event.data.recording ?? 1]);
          return;
      }
    },
    // A run of certifications (an import's batch) is issued together: the same credentials as one by one.
    async applyAll(tx, table, events) {
      let certified: Certified[] = [];
      for (const event of events) {
        if (event.type === 'LevelCertified') certified.push(event);
        // Only what changes keys or lists ends a run; anything else the projection ignores.
        if (event.type !== 'EvaluatorRegistered' && event.type !== 'CertificateRevoked' && event.type !== 'CertificateVoided') continue;
        await issueAll(tx, table, certified);
        certified = [];
        await projection.apply(tx, table, event);
      }
      await issueAll(tx, table, certified);
    },
  };
  return projection;

  /** The certificates' holder ids and status entries, then each signed with its evaluator's key of the day. */
  async function issueAll(tx: PoolClient, table: string, certified: Certified[]): Promise<void> {
    if (certified.length === 0) return;
    const allocations = await lists.allocateAll(
      tx,
      certified.map(({ data, recordedAt }) => ({ certificateNumber: data.certificateNumber, recording: data.recording ?? 1, evaluatorId: data.evaluatorId, at: recordedAt })),
    );
    // Grouped by evaluator and moment (a batch's certifications share their transaction's record time):
    // one key lookup each, on the transaction's connection.
    const certifiedOn = new Map<string, number[]>();
    certified.forEach(({ data, recordedAt }, index) => {
      const day = `${data.evaluatorId}@${recordedAt}`;
      const indexes = certifiedOn.get(day);
      if (indexes) indexes.push(index);
      else certifiedOn.set(day, [index]);
    });
    // Dated by the certification's record, not by the signing: a rebuild (or a restore) signs the very same
    // credential, its words aside if the occupations table named its occupation since. A key's credentials a few to a call (the key is imported once a call), a few calls handed
    // over at a time, so that the worker seldom waits for the next: each call's timeout runs from the moment
    // it is handed over (CredentialSigner), and a whole batch at once could time out together.
    const calls: Array<{ indexes: number[]; key: SigningKey; recordedAt: string }> = [];
    for (const indexes of certifiedOn.values()) {
      const { data, recordedAt } = certified[indexes[0]];
      const key = await keys.at(tx, data.evaluatorId, recordedAt);
      for (let from = 0; from < indexes.length; from += SIGNED_TOGETHER) calls.push({ indexes: indexes.slice(from, from + SIGNED_TOGETHER), key, recordedAt });
    }
    const signed: JsonDocument[] = new Array(certified.length);
    for (let from = 0; from < calls.length; from += CALLS_AT_ONCE) {
      await Promise.all(
        calls.slice(from, from + CALLS_AT_ONCE).map(async ({ indexes, key, recordedAt }) => {
          const credentials = indexes.map((index) => credentialOf(config.publicOrigin, certified[index].data, allocations[index]));
          const answers = await credentialSigner.signAll(credentials, key, recordedAt);
          indexes.forEach((index, n) => (signed[index] = answers[n]));
        }),
      );
    }
    // A number's latest recording stands (of one recording issued twice, the first).
    await tx.query(
      `INSERT INTO ${table} (certificate_number, evaluator_id, credential, recording)
       SELECT DISTINCT ON (number) number, evaluator_id, credential, recording
         FROM unnest($1::text[], $2::uuid[], $3::jsonb[], $4::int[]) WITH ORDINALITY AS c(number, evaluator_id, credential, recording, n)
        ORDER BY number, recording DESC, n
       ON CONFLICT (certificate_number) DO UPDATE SET evaluator_id = excluded.evaluator_id, credential = excluded.credential, recording = excluded.recording, signed_at = now()
         WHERE ${table}.recording < excluded.recording`,
      [
        certified.map(({ data }) => data.certificateNumber),
        certified.map(({ data }) => data.evaluatorId),
        signed.map((credential) => JSON.stringify(credential)),
        certified.map(({ data }) => data.recording ?? 1),
      ],
    );
  }
}

/** Postgres's undefined_table. */
const UNDEFINED_TABLE = '42P01';

/**
 * The certificate's signed credential as this projection stored it, if it has one. None at all while
 * signing is off (CREDENTIAL_SIGNING=off): the projection does not run, and its table was never made.
 */
export async function issuedCredential(sql: Sql, certificateNumber: string): Promise<JsonDocument | undefined> {
  try {
    const { rows } = await sql.query<{ credential: JsonDocument }>(`SELECT credential FROM ${CREDENTIALS_TABLE} WHERE certificate_number = $1`, [certificateNumber]);
    return rows[0]?.credential;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return undefined;
    throw error;
  }
}

/** Whether any certificate holds a signed credential (none where its table was never made). */
export async function credentialsIssued(sql: Sql): Promise<boolean> {
  try {
    return (await sql.query(`SELECT 1 FROM ${CREDENTIALS_TABLE} LIMIT 1`)).rows.length > 0;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return false;
    throw error;
  }
}

/** Credentials handed to the signing worker in one call (each a few ms of its CPU), and calls handed over at a time. */
const SIGNED_TOGETHER = 8;
const CALLS_AT_ONCE = 4;

type Certified = RecordedEvent<Extract<LadderEvent, { type: 'LevelCertified' }>>;
