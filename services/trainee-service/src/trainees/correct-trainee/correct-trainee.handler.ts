import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { FieldRefusal, maskName } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { seal, TraineeRelations, unseal } from '@skills/service-runtime';
import { PersonalDataKeys } from '../../personal-data/personal-data-keys';
import { PersonalData } from '../../personal-data/sealed-personal-data';
import { reindexTrainee } from '../search-trainees/search-index';
import { CorrectTrainee, traineeAggregate, traineeStreamId } from '../trainee.aggregate';
import { traineeIntegrationEvents } from '../trainee-messages';
import { CorrectTraineeDto } from './correct-trainee.dto';

/**
 * A correction of name or phone: the personal data sealed anew under the trainee's key (so erasure
 * still erases it), the masked name republished for certificate verification. Who may not read the
 * trainee is answered 404 as for a read; who may read but not correct, 403 (the aggregate).
 */
@Injectable()
export class CorrectTraineeHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly keys: PersonalDataKeys,
    private readonly relations: TraineeRelations,
  ) {}

  async execute(traineeId: string, body: CorrectTraineeDto, caller: Caller): Promise<{ id: string }> {
    const fields = (['name', 'phone'] as const).filter((field) => body[field] !== undefined);
    if (fields.length === 0) throw new FieldRefusal('name', 'nothing_to_correct', 'a correction names the name, the phone or both');
    // Only the registering organisation corrects (the aggregate's rule), and that relation is this service's own: nothing to wait for.
    await this.relations.assertMayRead(caller, traineeId);
    let nameMasked = '*';
    let corrected: PersonalData | undefined;
    await this.commands.handle({
      stream: mustExist(traineeStreamId(traineeId), 'trainee', traineeId),
      aggregate: traineeAggregate,
      command: async (state): Promise<CorrectTrainee> => {
        const key = state.status === 'registered' ? await this.keys.find(traineeId) : undefined;
        corrected = key && state.status === 'registered' ? { ...unseal<PersonalData>(key, state.personalData), ...pick(body, fields) } : undefined;
        if (corrected) nameMasked = maskName(corrected.name);
        const by = { role: caller.role, traineeId: caller.traineeId, organisationId: caller.organisationId };
        return { type: 'CorrectTrainee', traineeId, personalData: corrected && key ? seal(key, corrected) : undefined, fields: [...fields], by };
      },
      // A new name is found by its own tokens, no longer by the old one's.
      inTransaction: async (tx) => {
        if (corrected) await reindexTrainee(tx, traineeId, corrected);
      },
      integrationEvents: (events) => traineeIntegrationEvents(events, { nameMasked }),
    });
    return { id: traineeId };
  }
}

const pick = (body: CorrectTraineeDto, fields: readonly ('name' | 'phone')[]): Partial<PersonalData> => Object.fromEntries(fields.map((field) => [field, body[field]]));
