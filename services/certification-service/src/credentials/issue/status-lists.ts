import { Sql } from '@skills/postgres';
import { randomUUID } from 'node:crypto';
import { evaluatorDid } from '../keys/evaluator-did';
import { SigningKeys } from '../keys/signing-keys';
import { CredentialSigner, JsonDocument } from '../signing/credential-signer';
import { Allocation, STATUS_LIST_LENGTH, statusListUrl } from './credential-document';

/**
 * A certificate to be given its holder id and status entry; `at`, when its certification was recorded.
 * `recording`: which recording of the number (LevelCertified's, 1 unless a void freed it before): each has
 * an entry of its own, so a voided recording's credential stays revoked when the number is recorded again.
 */
export interface AllocationRequest {
  certificateNumber: string;
  /** 1 unless said. */
  recording?: number;
  evaluatorId: string;
  at: string;
}

/** One recording of a certificate number, as a map's key. */
const recordingKey = (certificateNumber: string, recording: number) => `${certificateNumber}#${recording}`;

/** A list says the state of its entries now; it is valid from the platform's first day of certificates. */
const LISTS_VALID_FROM = '2020-01-01T00:00:00Z';

/**
 * Each certificate's place in its evaluator's Bitstring Status Lists (`credential_allocations`, handed
 * out in order, once), and the lists themselves, signed by the evaluator and stored
 * (`status_list_credentials`): a list exists before any credential points to it, and is signed again
 * whenever one of its certificates is revoked.
 */
export class StatusLists {
  constructor(
    private readonly signer: CredentialSigner,
    private readonly keys: SigningKeys,
    private readonly publicOrigin: string,
  ) {}

  /**
   * The certificate's random holder id and status entry: the same every time it is asked. `at`: when the
   * certification was recorded, the date of a list it starts (see `sign`).
   */
  async allocate(tx: Sql, certificateNumber: string, evaluatorId: string, at: string, recording = 1): Promise<Allocation> {
    return (await this.allocateAll(tx, [{ certificateNumber, recording, evaluatorId, at }]))[0];
  }

  /**
   * The same for many certificates at once (a batch of the log), in their order, in a few statements:
   * exactly what `allocate` of each in turn would hand out.
   */
  async allocateAll(tx: Sql, certificates: AllocationRequest[]): Promise<Allocation[]> {
    if (certificates.length === 0) return [];
    // In lower case, as Postgres writes a uuid back (the last entries below are keyed by it).
    const evaluators = [...new Set(certificates.map((each) => each.evaluatorId.toLowerCase()))].sort();
    await this.lockLists(tx, evaluators);
    const held = await this.allocationsOf(tx, certificates);
    const { rows: lasts } = await tx.query<{ evaluator_id: string; list_number: number; list_index: number }>(
      `SELECT e.evaluator_id, a.list_number, a.list_index FROM unnest($1::uuid[]) AS e(evaluator_id)
       CROSS JOIN LATERAL (SELECT list_number, list_index FROM credential_allocations WHERE evaluator_id = e.evaluator_id
                           ORDER BY list_number DESC, list_index DESC LIMIT 1) a`,
      [evaluators],
    );
    const next = new Map(lasts.map((row) => [row.evaluator_id, row.list_number * STATUS_LIST_LENGTH + row.list_index + 1]));
    const made: Array<AllocationRequest & Allocation> = [];
    const allocations = certificates.map((certificate) => {
      const key = recordingKey(certificate.certificateNumber, certificate.recording ?? 1);
      const existing = held.get(key);
      if (existing) return existing;
      const evaluator = certificate.evaluatorId.toLowerCase();
      const position = next.get(evaluator) ?? 0;
      next.set(evaluator, position + 1);
      const allocation = { subjectId: randomUUID(), listNumber: Math.floor(position / STATUS_LIST_LENGTH), listIndex: position % STATUS_LIST_LENGTH };
      held.set(key, allocation);
      made.push({ ...certificate, ...allocation });
      return allocation;
    });
    if (made.length === 0) return allocations;
    await tx.query(
      `INSERT INTO credential_allocations (certificate_number, recording, evaluator_id, subject_id, list_number, list_index)
       SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::uuid[], $5::int[], $6::int[])`,
      [
        made.map((each) => each.certificateNumber),
        made.map((each) => each.recording ?? 1),
        made.map((each) => each.evaluatorId),
        made.map((each) => each.subjectId),
        made.map((each) => each.listNumber),
        made.map((each) => each.listIndex),
      ],
    );
    // A list exists before any credential points to it: signed when its first entry is handed out, dated by that certification.
    const listsStarted = new Map<string, AllocationRequest & Allocation>();
    for (const each of made) if (!listsStarted.has(`${each.evaluatorId}/${each.listNumber}`)) listsStarted.set(`${each.evaluatorId}/${each.listNumber}`, each);
    for (const first of listsStarted.values()) {
      if (!(await this.find(tx, first.evaluatorId, first.listNumber))) await this.sign(tx, first.evaluatorId, first.listNumber, first.at);
    }
    return allocations;
  }

  /**
   * The entry of the certificate's recording set, and its list signed again, dated `at`, the revocation's
   * (or void's) record (nothing to do for one without a credential).
   */
  async revoke(tx: Sql, certificateNumber: string, recording: number, at: string): Promise<void> {
    const { rows: owner } = await tx.query<{ evaluator_id: string }>('SELECT evaluator_id FROM credential_allocations WHERE certificate_number = $1 AND recording = $2', [certificateNumber, recording]);
    if (!owner[0]) return;
    await this.lockLists(tx, [owner[0].evaluator_id]);
    const { rows } = await tx.query<{ evaluator_id: string; list_number: number }>(
      'UPDATE credential_allocations SET revoked = true WHERE certificate_number = $1 AND recording = $2 RETURNING evaluator_id, list_number',
      [certificateNumber, recording],
    );
    if (rows[0]) await this.sign(tx, rows[0].evaluator_id, rows[0].list_number, at);
  }

  /** The certificate's holder id and status entry as handed out, if they were (nothing is handed out here). */
  async allocationOf(sql: Sql, certificateNumber: string, recording = 1): Promise<Allocation | undefined> {
    return (await this.allocationsOf(sql, [{ certificateNumber, recording }])).get(recordingKey(certificateNumber, recording));
  }

  async find(sql: Sql, evaluatorId: string, listNumber: number): Promise<JsonDocument | undefined> {
    const { rows } = await sql.query<{ credential: JsonDocument }>('SELECT credential FROM status_list_credentials WHERE evaluator_id = $1 AND list_number = $2', [evaluatorId, listNumber]);
    return rows[0]?.credential;
  }

  /**
   * One writer of an evaluator's entries and lists at a time (the live projection and a rebuild's replay
   * run side by side): each reads the revocations after the other committed, so no signed list drops one.
   * Several evaluators' locks are taken in one statement, in the order given (allocateAll sorts them).
   */
  private async lockLists(tx: Sql, evaluatorIds: string[]): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM unnest($1::text[]) AS id', [evaluatorIds.map((evaluatorId) => `credential-lists:${evaluatorId}`)]);
  }

  /** Keyed by recordingKey. */
  private async allocationsOf(sql: Sql, recordings: Array<Pick<AllocationRequest, 'certificateNumber' | 'recording'>>): Promise<Map<string, Allocation>> {
    const { rows } = await sql.query<{ certificate_number: string; recording: number; subject_id: string; list_number: number; list_index: number }>(
      `SELECT a.certificate_number, a.recording, a.subject_id, a.list_number, a.list_index
         FROM credential_allocations a JOIN unnest($1::text[], $2::int[]) AS r(certificate_number, recording) USING (certificate_number, recording)`,
      [recordings.map((each) => each.certificateNumber), recordings.map((each) => each.recording ?? 1)],
    );
    return new Map(rows.map((row) => [recordingKey(row.certificate_number, row.recording), { subjectId: row.subject_id, listNumber: row.list_number, listIndex: row.list_index }]));
  }

  /**
   * Dated by the fact that changed the list, not by the signing: a rebuild (or a restore) replays the same
   * facts in the same order and signs the very same lists (Ed25519 signatures are deterministic).
   */
  private async sign(tx: Sql, evaluatorId: string, listNumber: number, at: string): Promise<void> {
    const { rows } = await tx.query<{ list_index: number }>('SELECT list_index FROM credential_allocations WHERE evaluator_id = $1 AND list_number = $2 AND revoked', [evaluatorId, listNumber]);
    const credential = await this.signer.statusList({
      id: statusListUrl(this.publicOrigin, evaluatorId, listNumber),
      issuer: evaluatorDid(this.publicOrigin, evaluatorId),
      length: STATUS_LIST_LENGTH,
      revoked: rows.map((row) => row.list_index),
      validFrom: LISTS_VALID_FROM,
      key: await this.keys.at(tx, evaluatorId, at),
      created: at,
    });
    await tx.query(
      `INSERT INTO status_list_credentials (evaluator_id, list_number, credential) VALUES ($1, $2, $3)
       ON CONFLICT (evaluator_id, list_number) DO UPDATE SET credential = EXCLUDED.credential, updated_at = now()`,
      [evaluatorId, listNumber, JSON.stringify(credential)],
    );
  }
}
