import { Injectable } from '@nestjs/common';
import { ImportRowOutcome } from '@skills/contracts';
import { DomainRefusal, FieldRefusal } from '@skills/domain-kernel';
import { ImportBatchApplier, ImportJobOf, importCaller, PendingImportRow, refusalOf, validatedAs } from '@skills/service-runtime';
import { PoolClient } from 'pg';
import { CorrectTraineeHandler } from '../../trainees/correct-trainee/correct-trainee.handler';
import { identityHash } from '../../trainees/identity-hash';
import { RegisterTraineeDto } from '../../trainees/register-trainee/register-trainee.dto';
import { RegisterTraineeHandler } from '../../trainees/register-trainee/register-trainee.handler';
import { traineeBody } from './prepare-rows';

/** A row checked again by RegisterTraineeDto (the API's rules), or its refusal. */
type Checked = { pending: PendingImportRow; body: RegisterTraineeDto } | { pending: PendingImportRow; refusal: ImportRowOutcome };

/**
 * A trainees batch: registrations by the API's own rules (RegisterTraineeDto, one trainee per identity
 * number: identity_number_registered for someone registered before), 500 at once through
 * RegisterTraineeHandler.registerAll; a changed row of a person this organisation imported before
 * corrects their name and phone (the registration's other fields are not corrections a school makes),
 * one command each. The dry run checks the identity claims of the whole batch in one statement and
 * writes nothing. Applied in trainee-service itself: the rows are personal data and never travel.
 */
@Injectable()
export class TraineesImportApplier implements ImportBatchApplier {
  readonly kind = 'trainees' as const;

  constructor(
    private readonly register: RegisterTraineeHandler,
    private readonly correct: CorrectTraineeHandler,
  ) {}

  async applyAll(tx: PoolClient, rows: PendingImportRow[], job: ImportJobOf, mode: 'judge' | 'apply'): Promise<ImportRowOutcome[]> {
    const checked = await Promise.all(rows.map((pending) => this.check(pending)));
    const valid = checked.filter((each): each is Extract<Checked, { body: RegisterTraineeDto }> => 'body' in each);
    const holders = await this.claimHolders(tx, valid.map(({ body }) => body.idNumber));
    const outcomes = checked.filter((each): each is Extract<Checked, { refusal: ImportRowOutcome }> => 'refusal' in each).map(({ refusal }) => refusal);
    const registrations: typeof valid = [];
    for (const each of valid) {
      const row = each.pending.row.row;
      const holder = holders.get(identityHash(each.body.idNumber));
      if (!holder) registrations.push(each);
      else if (!each.pending.previouslyImported) outcomes.push(refusalOf(row, registered('a trainee with this identity number is already registered')));
      else outcomes.push(mode === 'judge' ? { row, outcome: 'accepted' } : await this.corrected(row, holder, each.body, job));
    }
    if (mode === 'judge') {
      const refusals = this.register.refusalsOf(registrations.map(({ body }) => body), job.organisationId);
      return [...outcomes, ...registrations.map(({ pending }, index): ImportRowOutcome => (refusals[index] ? refusalOf(pending.row.row, refusals[index]) : { row: pending.row.row, outcome: 'accepted' }))];
    }
    const answers = await this.register.registerAll(tx, registrations.map(({ body }) => body), job.organisationId);
    answers.forEach((answer, index) => {
      const row = registrations[index].pending.row.row;
      // The API answers it 409 with existingId; a row names the column it came from.
      outcomes.push(answer instanceof DomainRefusal ? refusalOf(row, registered(answer.detail)) : { row, outcome: 'created' });
    });
    return outcomes;
  }

  private async check(pending: PendingImportRow): Promise<Checked> {
    try {
      return { pending, body: await validatedAs(RegisterTraineeDto, traineeBody(pending.row.fields)) };
    } catch (error) {
      return { pending, refusal: refusalOf(pending.row.row, error) };
    }
  }

  /** Who holds each identity number's claim already (by keyed hash), in one statement. */
  private async claimHolders(tx: PoolClient, idNumbers: string[]): Promise<Map<string, string>> {
    const { rows } = await tx.query<{ identity_hash: string; trainee_id: string }>('SELECT identity_hash, trainee_id FROM identity_claims WHERE identity_hash = ANY($1)', [idNumbers.map(identityHash)]);
    return new Map(rows.map((row) => [row.identity_hash, row.trainee_id]));
  }

  /** A correction, one command: refused alone (its own savepoint) if it is. */
  private async corrected(row: number, traineeId: string, body: RegisterTraineeDto, job: ImportJobOf): Promise<ImportRowOutcome> {
    try {
      await this.correct.execute(traineeId, { name: body.name, phone: body.phone }, importCaller(job));
      return { row, outcome: 'corrected' };
    } catch (error) {
      return refusalOf(row, error);
    }
  }
}

const registered = (detail: string) => new FieldRefusal('idNumber', 'identity_number_registered', detail);
