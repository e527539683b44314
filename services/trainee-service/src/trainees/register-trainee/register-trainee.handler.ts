import { Injectable } from '@nestjs/common';
import { TRAINEE_TOPIC, TraineeRegisteredV1 } from '@skills/contracts';
import { businessDateOf } from '@skills/domain-kernel';
import { CommandHandler, Database, integrationMessage, isUniqueViolation } from '@skills/event-sourcing';
import { ConflictProblem, currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { identityHash } from '../identity-hash';
import { traineeAggregate, traineeStreamId } from '../trainee.aggregate';
import { RegisterTraineeDto } from './register-trainee.dto';

@Injectable()
export class RegisterTraineeHandler {
  constructor(
    private readonly commands: CommandHandler,
    private readonly database: Database,
  ) {}

  async execute(body: RegisterTraineeDto): Promise<{ id: string }> {
    const traineeId = randomUUID();
    const claim = identityHash(body.idNumber);
    try {
      await this.commands.handle({
        streamId: traineeStreamId(traineeId),
        aggregate: traineeAggregate,
        command: { type: 'RegisterTrainee', traineeId, ...body, categories: body.categories ?? [], registeredOn: businessDateOf(new Date()) },
        metadata: currentCorrelation(),
        // The claim commits with the event or not at all: concurrent registrations of one number
        // collide on its primary key and exactly one wins.
        inTransaction: (tx) => tx.query('INSERT INTO identity_claims (identity_hash, trainee_id) VALUES ($1, $2)', [claim, traineeId]).then(() => undefined),
        integrationEvents: ([registered]) => {
          const { data } = registered;
          const payload: TraineeRegisteredV1 = {
            traineeId,
            regionCode: data.regionCode,
            birthDate: data.birthDate,
            gender: data.gender,
            categories: data.categories,
            registeredOn: data.registeredOn,
          };
          return [integrationMessage(TRAINEE_TOPIC, traineeId, registered, 'TraineeRegistered', payload, data.registeredOn)];
        },
      });
      return { id: traineeId };
    } catch (error) {
      if (!isUniqueViolation(error, 'identity_claims_pkey')) throw error;
      const { rows } = await this.database.query<{ trainee_id: string }>('SELECT trainee_id FROM identity_claims WHERE identity_hash = $1', [claim]);
      throw new ConflictProblem('identity_number_registered', 'a trainee with this identity number is already registered', { existingId: rows[0]?.trainee_id });
    }
  }
}
