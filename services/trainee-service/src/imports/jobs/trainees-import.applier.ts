import { Injectable } from '@nestjs/common';
import { ImportRowSubmitted } from '@skills/contracts';
import { DomainRefusal, FieldRefusal } from '@skills/domain-kernel';
import { Transactions } from '@skills/postgres';
import { ImportJobOf, importCaller, ImportRowApplier, validatedAs } from '@skills/service-runtime';
import { CorrectTraineeHandler } from '../../trainees/correct-trainee/correct-trainee.handler';
import { identityHash } from '../../trainees/identity-hash';
import { RegisterTraineeDto } from '../../trainees/register-trainee/register-trainee.dto';
import { RegisterTraineeHandler } from '../../trainees/register-trainee/register-trainee.handler';
import { traineeBody } from './prepare-rows';

/**
 * A trainees row: a registration through the API's own handler (and so its rules: one trainee per
 * identity number, 409 identity_number_registered for someone registered before). A changed row of a
 * person this organisation imported before corrects their name and phone (the registration's other
 * fields are not corrections a school makes). Applied in trainee-service itself: the rows are personal
 * data and never travel on the bus.
 */
@Injectable()
export class TraineesImportApplier implements ImportRowApplier {
  readonly kind = 'trainees' as const;

  constructor(
    private readonly transactions: Transactions,
    private readonly register: RegisterTraineeHandler,
    private readonly correct: CorrectTraineeHandler,
  ) {}

  async apply(row: ImportRowSubmitted, job: ImportJobOf, previouslyImported: boolean): Promise<'created' | 'corrected'> {
    const body = await validatedAs(RegisterTraineeDto, traineeBody(row.fields));
    if (previouslyImported) {
      // In the batch's transaction: a person registered by an earlier row of the same batch is seen.
      const { rows } = await this.transactions.run((tx) => tx.query<{ trainee_id: string }>('SELECT trainee_id FROM identity_claims WHERE identity_hash = $1', [identityHash(body.idNumber)]));
      if (rows[0]) {
        await this.correct.execute(rows[0].trainee_id, { name: body.name, phone: body.phone }, importCaller(job));
        return 'corrected';
      }
    }
    await this.register.execute(body, { organisationId: job.organisationId }).catch((error: unknown) => {
      // The API answers it 409 with existingId; a row names the column it came from.
      if (error instanceof DomainRefusal && error.rule === 'identity_number_registered') throw new FieldRefusal('idNumber', error.rule, error.detail);
      throw error;
    });
    return 'created';
  }
}
