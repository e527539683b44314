import { Injectable } from '@nestjs/common';
import type { Caller } from '@skills/contracts';
import { maskName } from '@skills/domain-kernel';
import { CommandPipeline, mustNotExist, UniqueClaim } from '@skills/event-sourcing';
import { relate, seal } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { PersonalDataKeys } from '../../personal-data/personal-data-keys';
import { personalDataOf } from '../../personal-data/sealed-personal-data';
import { identityHash } from '../identity-hash';
import { indexTrainee } from '../search-trainees/search-index';
import { traineeAggregate, traineeStreamId } from '../trainee.aggregate';
import { traineeIntegrationEvents } from '../trainee-messages';
import { RegisterTraineeDto } from './register-trainee.dto';

/** One trainee per identity number, claimed by its keyed hash (the claim holds no personal data). */
const identityClaim = (idNumber: string, traineeId: string): UniqueClaim => ({
  table: 'identity_claims',
  key: { identity_hash: identityHash(idNumber) },
  holder: { column: 'trainee_id', id: traineeId },
  rule: 'identity_number_registered',
  detail: 'a trainee with this identity number is already registered',
});

@Injectable()
export class RegisterTraineeHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly keys: PersonalDataKeys,
  ) {}

  /** The registering caller's organisation becomes related to the trainee (none for platform_admin). */
  async execute(body: RegisterTraineeDto, caller: Pick<Caller, 'organisationId'>): Promise<{ id: string }> {
    const traineeId = randomUUID();
    const idNumber = body.idNumber.toUpperCase();
    const dataKey = this.keys.newKey();
    const personal = personalDataOf({ name: body.name, idNumber, phone: body.phone, regionCode: body.regionCode });
    await this.commands.handle({
      stream: mustNotExist(traineeStreamId(traineeId)),
      aggregate: traineeAggregate,
      command: { type: 'RegisterTrainee', traineeId, idNumber, personalData: seal(dataKey, personal), categories: body.categories ?? [], registeredBy: caller.organisationId },
      // The claim and the key commit with the event or not at all: concurrent registrations of one
      // number collide on the claim's primary key and exactly one wins. The registering organisation's
      // relation commits with them: the school reads the trainee right after the 201, before
      // TraineeRegistered (which relates it in every other service) comes back.
      claims: [identityClaim(idNumber, traineeId)],
      inTransaction: async (tx, recorded) => {
        await this.keys.store(tx, traineeId, dataKey);
        if (caller.organisationId) await relate(tx, traineeId, caller.organisationId);
        // Searchable from the 201 on, by keyed tokens only.
        await indexTrainee(tx, traineeId, recorded[0].position.globalPosition, personal);
      },
      integrationEvents: (events) => traineeIntegrationEvents(events, { nameMasked: maskName(body.name), birthDate: personal.birthDate }),
    });
    return { id: traineeId };
  }
}
