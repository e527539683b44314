import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { systemActor } from '@skills/contracts';
import { DomainRefusal } from '@skills/domain-kernel';
import { describeFailure } from '@skills/event-sourcing';
import { runWithCorrelation } from '@skills/messaging';
import { Database, Sql } from '@skills/postgres';
import { ErasureEntry, ErasureLedger, erasuresOwed, latestGoodBackup, ledgerKeyOf, sameFile, settleErasuresOwed } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { traineeStreamId } from '../../trainees/trainee.aggregate';
import { VoidRegistrationHandler } from '../../trainees/void-registration/void-registration.handler';
import { ImportJobUpkeep, rowsHoldingDataAt } from '../../imports/jobs/import-job-upkeep';
import { ErasePersonalDataHandler } from '../erase-personal-data/erase-personal-data.handler';

const AS_THE_PLATFORM = { role: 'platform_admin', traineeId: null, organisationId: null } as const;

/** How often a ledger behind the log (a write failed: its disk full, its directory gone) is tried again. */
const CATCH_UP_EVERY_MS = 60_000;

/**
 * At start, before the platform answers anyone, what the all-in-one's erasure ledger
 * (BACKUP_DIR/erasures.jsonl) names and this log lacks is made again: an erasure or void undone by
 * restoring a backup taken before it. As the platform, through the same handlers, so every service
 * hears of it again once the bus runs. A trainee the log does not know (registered after the backup)
 * has nothing to erase here. A start that cannot erase someone it must does not go on: the platform
 * would serve personal data it was told to forget. The other way round, what the log holds and the
 * ledger lacks (an entry whose write failed; a ledger not begun yet, BACKUP_DIR newly set or an older
 * version that kept none) is written into the ledger, and again every minute while a write has failed
 * since: a backup restored meanwhile would otherwise bring that person back. A start on data whose
 * restore found erasures owed (erasures_owed) without the ledger that owes them is refused.
 */
@Injectable()
export class ErasureLedgerUpkeep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('trainee:erasure-ledger');
  private markSettled!: () => void;
  /** Once the start's work is done (never, when it failed): the import runner resumes no job before (a row it must not apply). */
  readonly settled = new Promise<void>((resolve) => (this.markSettled = resolve));

  constructor(
    private readonly database: Database,
    private readonly ledger: ErasureLedger,
    private readonly eraseHandler: ErasePersonalDataHandler,
    private readonly voidHandler: VoidRegistrationHandler,
    private readonly imports: ImportJobUpkeep,
  ) {}

  private catchingUp?: ReturnType<typeof setInterval>;

  async onApplicationBootstrap(): Promise<void> {
    await this.upkeep();
    this.markSettled();
    if (this.ledger.path) this.catchingUp = setInterval(() => void this.catchUpIfBehind(), CATCH_UP_EVERY_MS).unref();
  }

  /** Before the pools close: a catch-up in hand is waited for (its log read would fail on a closed pool). */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.catchingUp);
    await this.catchingUpNow;
  }

  private catchingUpNow?: Promise<void>;

  /**
   * Writes into the ledger what the log holds and it lacks, if a write failed since the last time it was
   * whole; one at a time (a large log's read may outlast the minute between tries).
   */
  async catchUpIfBehind(): Promise<void> {
    if (!this.ledger.behind || this.catchingUpNow) return this.catchingUpNow;
    this.catchingUpNow = this.ledger
      .catchUpWith(() => erasuresInLog(this.database))
      .then(
        () => undefined,
        (error) => this.logger.error(`could not read the log's erasures to catch the erasure ledger up: ${describeFailure(error)}`),
      )
      .finally(() => (this.catchingUpNow = undefined));
    return this.catchingUpNow;
  }

  private async upkeep(): Promise<void> {
    const path = this.ledger.path;
    // A restore that found erasures owed names the ledger that owes them: without it, nothing starts.
    // So does a ledger that is not there (not copied back): its erasures would be passed over for good.
    const owed = (await erasuresOwed(this.database)).find((each) => !sameFile(each.ledger, path) || !this.ledger.begun());
    if (owed) {
      throw new Error(
        `this data was restored from a backup taken before erasures that the erasure ledger ${owed.ledger} names (${owed.owed === null ? 'the restore could not read it: how many is unknown' : `${owed.owed} to make again`}): start it with BACKUP_DIR=${dirname(owed.ledger)}, that file in it, so they are made before anyone is served`,
      );
    }
    if (!path) return;
    const inLog = await erasuresInLog(this.database);
    if (!this.ledger.begun()) {
      // Backups without a ledger: it was lost, or kept elsewhere (a restore from another directory).
      if (latestGoodBackup(dirname(path)))
        this.logger.warn(`${dirname(path)} holds backups but no erasure ledger: begun now from this data; if it was restored from a backup, erasures made after that backup are unknown here (README, "Erasures and backups")`);
      await this.ledger.catchUpWith(async () => inLog);
      return;
    }
    // Read before it is given what it lacks: what it owes this data is what it held (a ledger that cannot be read fails the start).
    const inLedger = this.ledger.read();
    await this.ledger.catchUpWith(async () => inLog, inLedger);
    // Made again first: an erasure reads the natural keys of the person's rows, restored, before it forgets
    // them, and its message names them to the services that kept row keys without the trainee's id.
    const undone = await erasuresUndone(this.database, inLedger, inLog);
    for (const entry of undone) await this.makeAgain(entry);
    // Rows of import jobs the erasures forgot, back with their cells (a job that ran, or was ready, when the
    // backup was taken), that no erasure made again has forgotten (a person this data does not know):
    // forgotten again before any job resumes, whoever they would have registered.
    const places = erasedRowsOf(inLedger);
    const forgotten = await this.database.transaction((tx) => this.imports.forgetRowsAt(tx, places));
    if (forgotten > 0) this.logger.warn(`forgot again ${forgotten} import rows of people the erasure ledger names (a backup taken before their erasure was restored)`);
    await settleErasuresOwed(this.database);
    if (undone.length > 0) this.logger.warn(`made again ${undone.length} erasures and voids of the erasure ledger that this data did not hold (a backup taken before them was restored)`);
  }

  /** An erasure or void this log lacks, made again as the platform (the events' actor is `erasure-ledger`). */
  makeAgain(entry: ErasureEntry): Promise<void> {
    return runWithCorrelation(randomUUID(), async () => {
      if (entry.kind === 'erased') return this.eraseHandler.erase(entry.traineeId, AS_THE_PLATFORM);
      try {
        await this.voidHandler.void(entry.traineeId, `voided on ${entry.on}; made again after a backup was restored`, AS_THE_PLATFORM);
      } catch (error) {
        // Referred to since (it was not when voided, so only in data that never held the void): its
        // personal data goes all the same.
        if (!(error instanceof DomainRefusal)) throw error;
        await this.eraseHandler.erase(entry.traineeId, AS_THE_PLATFORM);
      }
    }, undefined, systemActor('erasure-ledger'));
  }
}

/**
 * Every erasure and void this trainee log holds, as the ledger writes them (found by the index
 * EventsErasures), with their rows' places; or those of one trainee (their stream).
 */
export async function erasuresInLog(sql: Sql, traineeId?: string): Promise<ErasureEntry[]> {
  const { rows } = await sql.query<ErasureEntry>(
    `SELECT e.data->>'traineeId' AS "traineeId", CASE e.event_type WHEN 'PersonalDataErased' THEN 'erased' ELSE 'voided' END AS kind,
            coalesce(e.data->>'erasedOn', e.data->>'voidedOn') AS "on",
            CASE e.event_type WHEN 'PersonalDataErased' THEN
              (SELECT coalesce(json_agg(json_build_object('jobId', r.job_id, 'row', r.row) ORDER BY r.job_id, r.row), '[]')
                 FROM import_job_rows r WHERE r.trainee_id = (e.data->>'traineeId')::uuid) ELSE '[]' END AS "importRows"
       FROM events e WHERE e.event_type IN ('PersonalDataErased', 'TraineeRegistrationVoided')${traineeId === undefined ? '' : ' AND e.stream_id = $1'}`,
    traineeId === undefined ? [] : [traineeStreamId(traineeId)],
  );
  return rows;
}

/**
 * What a restored backup owes the ledger: the erasures and voids to make again (erasuresUndone) and
 * the import rows still holding the cells of people erased since (forgotten again at start).
 */
export async function erasuresOwedBy(sql: Sql, inLedger: ErasureEntry[]): Promise<number> {
  return (await erasuresUndone(sql, inLedger)).length + (await rowsHoldingDataAt(sql, erasedRowsOf(inLedger)));
}

/** Where the erasures' import rows were (a void forgets none: its number may be the real holder's). */
const erasedRowsOf = (entries: ErasureEntry[]) => entries.flatMap((entry) => (entry.kind === 'erased' ? (entry.importRows ?? []) : []));

/**
 * The ledger's erasures and voids this log lacks, of trainees it knows, each once (a void, which
 * erases too, in place of an erasure of the same person); `inLog` as erasuresInLog read it.
 */
export async function erasuresUndone(sql: Sql, inLedger: ErasureEntry[], inLog?: ErasureEntry[]): Promise<ErasureEntry[]> {
  const done = new Set((inLog ?? (await erasuresInLog(sql))).map(ledgerKeyOf));
  const missing = new Map<string, ErasureEntry>();
  for (const entry of inLedger) {
    if (done.has(ledgerKeyOf(entry)) || done.has(ledgerKeyOf({ ...entry, kind: 'voided' }))) continue;
    if (entry.kind === 'voided' || !missing.has(entry.traineeId)) missing.set(entry.traineeId, entry);
  }
  if (missing.size === 0) return [];
  const { rows } = await sql.query<{ stream_id: string }>('SELECT DISTINCT stream_id FROM events WHERE stream_id = ANY($1::text[])', [[...missing.keys()].map(traineeStreamId)]);
  const known = new Set(rows.map((row) => row.stream_id));
  return [...missing.values()].filter((entry) => known.has(traineeStreamId(entry.traineeId)));
}
