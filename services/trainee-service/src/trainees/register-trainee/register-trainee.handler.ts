import { Injectable } from '@nestjs/common';
import { businessDateOf, maskName } from '@skills/domain-kernel';
import { CommandHandler, Database, isUniqueViolation } from '@skills/event-sourcing';
import { ConflictProblem, currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { PersonalDataKeys } from '../../personal-data/personal-data-keys';
import { PersonalData, seal } from '../../personal-data/sealed-personal-data';
import { identityHash } from '../identity-hash';
import { traineeAggregate, traineeStreamId } from '../trainee.aggregate';
import { traineeIntegrationEvents } from '../trainee-messages';
import { RegisterTraineeDto } from './register-trainee.dto';

@Injectable()
export class RegisterTraineeHandler {
  constructor(
    private readonly commands: CommandHandler,
    private readonly database: Database,
    private readonly keys: PersonalDataKeys,
  ) {}

  async execute(body: RegisterTraineeDto): Promise<{ id: string }> {
    const traineeId = randomUUID();
    const idNumber = body.idNumber.toUpperCase();
    const claim = identityHash(idNumber);
    const dataKey = this.keys.newKey();
    const personal: PersonalData = { name: body.name, idNumber, phone: body.phone };
    try {
      await this.commands.handle({
        streamId: traineeStreamId(traineeId),
        aggregate: traineeAggregate,
        command: {
          type: 'RegisterTrainee',
          traineeId,
          idNumber,
          personalData: seal(dataKey, personal),
          regionCode: body.regionCode,
          categories: body.categories ?? [],
          registeredOn: businessDateOf(new Date()),
        },
        metadata: currentCorrelation(),
        // The key and the claim commit with the event or not at all: concurrent registrations of one
        // number collide on the claim's primary key and exactly one wins.
        inTransaction: async (tx) => {
          await tx.query('INSERT INTO identity_claims (identity_hash, trainee_id) VALUES ($1, $2)', [claim, traineeId]);
          await this.keys.store(tx, traineeId, dataKey);
        },
        integrationEvents: (events) => traineeIntegrationEvents(events, { nameMasked: maskName(body.name) }),
      });
      return { id: traineeId };
    } catch (error) {
      if (!isUniqueViolation(error, 'identity_claims_pkey')) throw error;
      const { rows } = await this.database.query<{ trainee_id: string }>('SELECT trainee_id FROM identity_claims WHERE identity_hash = $1', [claim]);
      throw new ConflictProblem('identity_number_registered', 'a trainee with this identity number is already registered', { existingId: rows[0]?.trainee_id });
    }
  }
}
