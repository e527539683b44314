import { Injectable } from '@nestjs/common';
import { ImportRowOutcome } from '@skills/contracts';
import { DomainRefusal, FieldRefusal } from '@skills/domain-kernel';
import { ImportBatchApplier, ImportJobOf, importCaller, PendingImportRow, refusalOf } from '@skills/service-runtime';
import { PoolClient } from 'pg';
import { CorrectTraineeHandler } from '../../trainees/correct-trainee/correct-trainee.handler';
import { identityHash } from '../../trainees/identity-hash';
import { RegisterTraineeDto } from '../../trainees/register-trainee/register-trainee.dto';
import { RegisterTraineeHandler } from '../../trainees/register-trainee/register-trainee.handler';
import { TraineeAnswer, TraineeAnswers } from '../../trainees/trainee-answer';
import { traineeBody } from './prepare-rows';

/**
 * A trainees batch: registrations by the API's own rules, 500 at once through
 * RegisterTraineeHandler.registerAll (one trainee per identity number: identity_number_registered for
 * someone registered before); a changed row of a person this organisation imported before corrects
 * their name and phone (the registration's other fields are not corrections a school makes), one
 * command each. The dry run checks the batch's registrations (identity claims in one statement, the
 * aggregate's rules) without writing, and runs the corrections in its transaction, rolled back. The rows' cells were checked by RegisterTraineeDto when the file was read
 * (PrepareRows: a row it refused is in no batch), and are sealed in this service since. Applied here:
 * the rows are personal data and never travel.
 */
@Injectable()
export class TraineesImportApplier implements ImportBatchApplier {
  readonly kind = 'trainees' as const;

  constructor(
    private readonly register: RegisterTraineeHandler,
    private readonly correct: CorrectTraineeHandler,
    private readonly trainees: TraineeAnswers,
  ) {}

  async applyAll(tx: PoolClient, rows: PendingImportRow[], job: ImportJobOf, mode: 'judge' | 'apply'): Promise<ImportRowOutcome[]> {
    const bodies = rows.map(({ row }) => traineeBody(row.fields) as unknown as RegisterTraineeDto);
    // One keyed hash per row: the claims are looked up and matched by it.
    const hashes = bodies.map((body) => identityHash(body.idNumber));
    const holders = await this.claimHolders(tx, hashes);
    const outcomes: ImportRowOutcome[] = [];
    const registrations: Array<{ row: number; body: RegisterTraineeDto }> = [];
    for (const [index, { row, previouslyImported }] of rows.entries()) {
      const body = bodies[index];
      const holder = holders.get(hashes[index]);
      if (!holder) registrations.push({ row: row.row, body });
      else if (!previouslyImported) outcomes.push(refusalOf(row.row, registered('a trainee with this identity number is already registered')));
      // Judged too by running it: a judged batch's transaction is rolled back at its end.
      else outcomes.push(await this.corrected(row.row, holder, body, job));
    }
    const answers = mode === 'judge' ? this.register.refusalsOf(registrations.map(({ body }) => body), job.organisationId) : await this.register.registerAll(tx, registrations.map(({ body }) => body), job.organisationId);
    answers.forEach((answer, index) => {
      const { row } = registrations[index];
      if (answer instanceof DomainRefusal) {
        // The API answers a taken number 409 with existingId; a row names the column it came from.
        outcomes.push(refusalOf(row, answer.rule === 'identity_number_registered' ? registered(answer.detail) : answer));
      } else outcomes.push({ row, outcome: mode === 'judge' ? 'accepted' : 'created' });
    });
    return outcomes;
  }

  /** Who holds each claim already, by the identity number's keyed hash, in one statement. */
  private async claimHolders(tx: PoolClient, hashes: string[]): Promise<Map<string, string>> {
    const { rows } = await tx.query<{ identity_hash: string; trainee_id: string }>('SELECT identity_hash, trainee_id FROM identity_claims WHERE identity_hash = ANY($1)', [hashes]);
    return new Map(rows.map((row) => [row.identity_hash, row.trainee_id]));
  }

  /**
   * A correction, one command: refused alone (its own savepoint) if it is. Only a name and a phone are
   * corrected (as PATCH /api/v1/trainees/{id}); a row that changes a field that is not is refused naming
   * it, rather than answered corrected while the change goes nowhere (and its key kept, so that the same
   * row would be answered already present from then on).
   */
  private async corrected(row: number, traineeId: string, body: RegisterTraineeDto, job: ImportJobOf): Promise<ImportRowOutcome> {
    try {
      const current = await this.trainees.find(traineeId);
      const uncorrectable = uncorrectableChange(body, current);
      if (uncorrectable) {
        return refusalOf(row, new FieldRefusal(uncorrectable, 'not_correctable', `${uncorrectable} differs from the registration's, and a file corrects only a name and a phone (as PATCH /api/v1/trainees/{id} does): nothing was changed`));
      }
      await this.correct.execute(traineeId, { name: body.name, phone: body.phone }, importCaller(job));
      return { row, outcome: 'corrected' };
    } catch (error) {
      return refusalOf(row, error);
    }
  }
}

const registered = (detail: string) => new FieldRefusal('idNumber', 'identity_number_registered', detail);

/** The first field the row gives that differs from the registration's and is no correction a file makes; none when only a name or a phone does. */
function uncorrectableChange(body: RegisterTraineeDto, current: TraineeAnswer): 'regionCode' | 'categories' | undefined {
  if (body.regionCode !== undefined && body.regionCode !== current.regionCode) return 'regionCode';
  const sorted = (categories: readonly string[]) => [...categories].sort().join(',');
  if (body.categories !== undefined && sorted(body.categories) !== sorted(current.categories)) return 'categories';
  return undefined;
}
