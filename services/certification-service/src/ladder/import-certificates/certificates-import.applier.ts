import { Injectable } from '@nestjs/common';
import { Actor, ImportMode, ImportRowOutcome, ImportRowSubmitted } from '@skills/contracts';
import { businessDateOf, CURRENT_OCCUPATION_EDITION, FieldRefusal, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, Existing, lockStreams, mustExist } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/messaging';
import { ImportBatchApplier, ImportJobOf, parkedTraineeRefusal, PendingImportRow, refusalOf, TraineeReplica, validatedAs } from '@skills/service-runtime';
import { PoolClient } from 'pg';
import { Evaluator, evaluatorAggregate, evaluatorStreamId } from '../../evaluators/evaluator.aggregate';
import { CertificateNumbers } from '../certificate-numbers';
import { ladderIntegrationEvents } from '../certification-messages';
import { ladderAggregate, ladderStreamId, RecordImportedCertificate } from '../ladder.aggregate';
import { PublicCertificates } from '../verify-certificate/public-certificates';
import { ImportedCertificateDto } from './imported-certificate.dto';
import { ImportedCertificateRows } from './imported-certificate-rows';

/** The job's evaluator, and the business day it began certifying on the platform (none while it has not). */
type RegisteredEvaluator = Existing<Evaluator> & { certifyingHereSince?: string };

/**
 * When the evaluator's first certification through the platform was recorded: any route but `imported`,
 * revoked ones included (a revocation leaves its LevelCertified in the log). The partial index
 * EventsCertifiedHereByEvaluator (certification.migrations.ts) answers it without reading the log.
 */
export const FIRST_CERTIFIED_HERE = `SELECT min(recorded_at) AS first FROM events
  WHERE event_type = 'LevelCertified' AND data->>'evaluatorId' = $1 AND data->>'route' <> 'imported'`;

/** The cells a `certificates` row brings besides the person's (trainee-service keeps those). */
const CERTIFICATE_FIELDS = ['certificateNumber', 'occupationCode', 'occupationEdition', 'level', 'certifiedOn'] as const;

/**
 * A batch of an evaluator's `certificates` import (api.md, Imports): certificates of earlier years,
 * recorded on their holders' ladders as they were issued (route `imported`), for the job's evaluator,
 * dated before the day it began certifying on the platform (found in the batch's transaction).
 * Each row's cells are checked by the API's DTO rules, its number, date and level by the ladder
 * (RecordImportedCertificate), its number's uniqueness across the platform by the number's index. The
 * batch goes in a few statements: the holders looked up together, the numbers claimed together, the
 * ladders locked, read, decided and appended together (decideAll). A judged batch runs the same and is
 * rolled back with its transaction.
 */
@Injectable()
export class CertificatesImportApplier implements ImportBatchApplier {
  readonly kind = 'certificates' as const;

  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
    private readonly numbers: CertificateNumbers,
    private readonly certificates: PublicCertificates,
    private readonly importedRows: ImportedCertificateRows,
  ) {}

  /** Whether the row's certificate is recorded, for the person it names, as its cells say (the edition by its default where they give none). */
  private async recordedAsIs(row: ImportRowSubmitted): Promise<boolean> {
    const cells = cellsOf(row);
    const recorded = cells.certificateNumber ? await this.certificates.issued(cells.certificateNumber) : undefined;
    if (!recorded) return false;
    const { holder, certificate } = recorded;
    return (
      holder.traineeId === row.traineeId &&
      certificate.occupationCode === cells.occupationCode &&
      certificate.occupationEdition === (cells.occupationEdition ?? CURRENT_OCCUPATION_EDITION) &&
      certificate.level === cells.level &&
      certificate.certifiedOn === cells.certifiedOn
    );
  }

  async applyAll(tx: PoolClient, rows: PendingImportRow[], job: ImportJobOf, mode: ImportMode): Promise<ImportRowOutcome[]> {
    const outcomes: ImportRowOutcome[] = [];
    const checked: Array<{ row: number; body: ImportedCertificateDto }> = [];
    const naturalKeyOf = new Map(rows.map(({ row }) => [row.row, row.naturalKey]));
    for (const { row, previouslyImported } of rows) {
      try {
        // A certificate is recorded once, as issued: a changed row of one already imported would rewrite
        // it. One recorded in error is voided (POST /api/v1/certificates/{number}/void), never overwritten:
        // its number is then off the platform, and its corrected row is recorded anew.
        if (previouslyImported && (await this.onThePlatform(row))) {
          // Other cells may say the same certificate (an edition column added with its default, a name in
          // another spelling of the same person): that is no change, and is answered present.
          if (await this.recordedAsIs(row)) {
            outcomes.push({ row: row.row, outcome: 'already_present' });
            continue;
          }
          throw new FieldRefusal('certificateNumber', 'certificate_already_recorded', 'this certificate number was imported before with other cells: a recorded certificate is not changed by an import (void it if it was recorded in error, then import the corrected row)');
        }
        checked.push({ row: row.row, body: await validatedAs(ImportedCertificateDto, { traineeId: row.traineeId, ...cellsOf(row) }) });
      } catch (error) {
        outcomes.push(refusalOf(row.row, error));
      }
    }
    if (checked.length === 0) return outcomes;
    // The job's organisation is the issuing evaluator (domain.md section 9: an evaluator imports its own certificates).
    const found = await this.evaluatorOf(job);
    if (found instanceof UnknownEntity) return [...outcomes, ...checked.map(({ row }) => refusalOf(row, found))];
    const evaluator: RegisteredEvaluator = { ...found, certifyingHereSince: await this.certifyingHereSince(tx, found.evaluatorId) };
    // None of the holder's facts parked here as a dead letter (the API's certification answers 503 then);
    // found first: a parked registration never arrives, and is not waited for.
    const parked = await this.trainees.parkedAmong(checked.map(({ body }) => body.traineeId), tx);
    const known = await this.trainees.waitForAll(checked.map(({ body }) => body.traineeId).filter((id) => !parked.has(id.toLowerCase())), tx);
    const candidates = checked.map((each) => ({ ...each, command: recordImported(each.body, evaluator, job) }));
    // The ladder judges an imported certificate by its own cells and its evaluator alone (its number, its
    // date, the day the evaluator began certifying here), never by the ladder's state: judged first, as
    // the single command judged them before its number was claimed.
    const ownRefusals = this.commands.refusalsOfNew(ladderAggregate, candidates.map(({ command }) => command));
    const held: typeof candidates = [];
    candidates.forEach((candidate, index) => {
      const id = candidate.body.traineeId.toLowerCase();
      const refusal = parked.has(id) ? parkedTraineeRefusal() : known.has(id) ? ownRefusals[index] : new UnknownEntity('trainee', candidate.body.traineeId);
      if (refusal) outcomes.push(refusalOf(candidate.row, refusal));
      else held.push(candidate);
    });
    // The ladders, then the evaluator's serials of the numbers' years, locked before the numbers are
    // claimed: in the order a certification takes them (its ladder, its serial, its number), so neither
    // waits on the other crosswise, and one of those years waits for this batch, then takes a serial past
    // its numbers rather than one of them. A number then refused leaves a gap in the serials, never a duplicate.
    await lockStreams(tx, held.map(({ body }) => ladderStreamId(body.traineeId, body.occupationCode)));
    // A dry run moves no serial (all of it is rolled back), so it does not hold the evaluator's serials for
    // its whole batch; a certification may still wait on one of the numbers it claims, until it rolls back.
    if (mode === 'apply') await this.numbers.passSerials(tx, evaluator.evaluatorId, held.map(({ body }) => body.certificateNumber));
    // Claimed before the ladders decide: a certificate whose number is taken is out before a later one on
    // its ladder is decided after it.
    const taken = await this.numbers.claimAll(tx, held.map(({ body }) => ({ certificateNumber: body.certificateNumber, traineeId: body.traineeId, occupationCode: body.occupationCode })));
    const claimed: typeof candidates = [];
    held.forEach((candidate, index) => {
      const refusal = taken.refusals.get(index);
      if (refusal) outcomes.push(refusalOf(candidate.row, refusal));
      else claimed.push({ ...candidate, command: { ...candidate.command, recording: taken.recordings.get(index) } });
    });
    const decided = await this.commands.decideAllInTransaction(tx, {
      aggregate: ladderAggregate,
      commands: claimed.map(({ body, command }) => ({ streamId: ladderStreamId(body.traineeId, body.occupationCode), command })),
      integrationEvents: ladderIntegrationEvents,
    });
    const recorded: typeof candidates = [];
    const refused: typeof candidates = [];
    claimed.forEach((candidate, index) => {
      const outcome = decided[index];
      if ('result' in outcome) {
        recorded.push(candidate);
      } else {
        refused.push(candidate);
        outcomes.push(refusalOf(candidate.row, outcome.refusal));
      }
    });
    // None today (see above); a rule that comes to depend on the ladder gives its number back here.
    await this.numbers.release(tx, refused.map(({ body }) => body.certificateNumber));
    await this.importedRows.remember(tx, job.organisationId, recorded.map(({ row, body }) => ({ certificateNumber: body.certificateNumber, naturalKey: naturalKeyOf.get(row)! })));
    return [...outcomes, ...recorded.map(({ row }): ImportRowOutcome => ({ row, outcome: 'created' }))];
  }

  /** Whether the row's certificate number is recorded now (to anyone). */
  private async onThePlatform(row: ImportRowSubmitted): Promise<boolean> {
    const { certificateNumber } = cellsOf(row);
    return certificateNumber !== undefined && (await this.numbers.holderOf(certificateNumber)) !== undefined;
  }

  /** The job's evaluator, or what every row of a job of no evaluator is refused by. */
  private async evaluatorOf(job: ImportJobOf): Promise<RegisteredEvaluator | UnknownEntity> {
    try {
      return await this.commands.existing(mustExist(evaluatorStreamId(job.organisationId), 'evaluator', job.organisationId), evaluatorAggregate);
    } catch (error) {
      if (error instanceof UnknownEntity) return error;
      throw error;
    }
  }

  /** The business day (UTC+8) the evaluator began certifying on the platform, or undefined while it has not. */
  private async certifyingHereSince(tx: PoolClient, evaluatorId: string): Promise<string | undefined> {
    const { rows } = await tx.query<{ first: Date | null }>(FIRST_CERTIFIED_HERE, [evaluatorId]);
    const first = rows[0]?.first;
    return first ? businessDateOf(first) : undefined;
  }
}

function recordImported(body: ImportedCertificateDto, evaluator: RegisteredEvaluator, job: ImportJobOf): RecordImportedCertificate {
  return {
    type: 'RecordImportedCertificate',
    certificateNumber: body.certificateNumber,
    traineeId: body.traineeId,
    occupationCode: body.occupationCode,
    occupationEdition: body.occupationEdition ?? CURRENT_OCCUPATION_EDITION,
    // Certification figures count by the evaluator's region, as for a certificate issued here.
    regionCode: evaluator.regionCode,
    level: body.level,
    certifiedOn: body.certifiedOn,
    evaluator: {
      evaluatorId: evaluator.evaluatorId,
      name: evaluator.name,
      kind: evaluator.kind,
      creditCode: evaluator.creditCode,
      regionCode: evaluator.regionCode,
      evaluatorCode: evaluator.evaluatorCode,
      ...(evaluator.certifyingHereSince ? { certifyingHereSince: evaluator.certifyingHereSince } : {}),
    },
    by: evaluatorStaffOf(job),
  };
}

/** The row's certificate cells as given; a blank one is not given (the DTO says what is missing). */
function cellsOf(row: ImportRowSubmitted): Partial<Record<(typeof CERTIFICATE_FIELDS)[number], string>> {
  const cells: Partial<Record<(typeof CERTIFICATE_FIELDS)[number], string>> = {};
  for (const field of CERTIFICATE_FIELDS) {
    const value = row.fields[field]?.trim();
    if (value) cells[field] = value;
  }
  return cells;
}

/**
 * The job's evaluator as its staff: what the ladder's permission judges. The events record the job's
 * own actor (importActor: via system, and the user who started it), which the pipeline takes from the context.
 */
function evaluatorStaffOf(job: ImportJobOf): Actor {
  return { userId: currentCorrelation().actor?.userId ?? null, role: 'evaluator_staff', organisationId: job.organisationId, via: 'system', component: 'imports' };
}
