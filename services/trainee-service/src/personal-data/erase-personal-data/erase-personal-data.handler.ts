import { Inject, Injectable } from '@nestjs/common';
import { Caller, ImportNaturalKey, PersonalDataErasedV1 } from '@skills/contracts';
import { CommandPipeline, mustExist, OutboxMessage } from '@skills/event-sourcing';
import { Clock } from '@skills/domain-kernel';
import { CLOCK, requireRecentSignIn, TokenSession, TraineeRelations } from '@skills/service-runtime';
import { EraseTraineePersonalData, traineeAggregate, traineeStreamId } from '../../trainees/trainee.aggregate';
import { traineeIntegrationEvents } from '../../trainees/trainee-messages';
import { unindexTrainee } from '../../trainees/search-trainees/search-index';
import { ImportJobUpkeep } from '../../imports/jobs/import-job-upkeep';
import { PersonalDataKeys } from '../personal-data-keys';
import { WorkingAgeAfterErasure } from '../working-age/working-age-after-erasure';
import { TraineeAnswers } from '../../trainees/trainee-answer';

/**
 * Erasure without rewriting the log: the trainee's data key is destroyed, so the sealed name,
 * identity number and phone in the events can no longer be read; the identity claim goes too, so
 * not even the keyed hash of the number remains (the person may register again as someone new), nor
 * the search index's tokens of their name and number, nor their rows' cells in import jobs, nor the
 * names of import files named after them.
 */
@Injectable()
export class ErasePersonalDataHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly keys: PersonalDataKeys,
    private readonly imports: ImportJobUpkeep,
    private readonly trainees: TraineeAnswers,
    private readonly relations: TraineeRelations,
    private readonly workingAge: WorkingAgeAfterErasure,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(traineeId: string, caller: Caller, session: TokenSession): Promise<void> {
    // As every other write to a trainee: one the caller may not see is unknown (404), so a trainee
    // trying other ids learns nothing of who is registered (the aggregate's 403 would tell).
    await this.relations.assertMayRead(caller, traineeId);
    // It cannot be undone: not with a session left open on a shared or stolen phone long after its sign-in,
    // nor (past ten minutes) with a token outliving the password change that ended its session.
    requireRecentSignIn('trainees:erase-personal-data', caller, session, this.clock.now());
    return this.erase(traineeId, { role: caller.role, traineeId: caller.traineeId });
  }

  /** As `by` asks (the erasure ledger's upkeep, after a restore: as the platform). */
  async erase(traineeId: string, by: EraseTraineePersonalData['by']): Promise<void> {
    let importNaturalKeys: ImportNaturalKey[] = [];
    await this.commands.handle({
      stream: mustExist(traineeStreamId(traineeId), 'trainee', traineeId),
      aggregate: traineeAggregate,
      command: { type: 'EraseTraineePersonalData', traineeId, by },
      inTransaction: async (tx) => {
        // Read before the key goes, under the stream's lock (a failed read fails the erasure): the person's
        // rows in trainees files are found by their number (or, under a mistyped one, by their phones), files
        // named after them by their names, and a minor's 16th birthday outlives the erasure.
        const person = await this.trainees.erasableFactsOf(traineeId);
        await this.keys.destroy(tx, traineeId);
        await tx.query('DELETE FROM identity_claims WHERE trainee_id = $1', [traineeId]);
        await unindexTrainee(tx, traineeId);
        importNaturalKeys = await this.imports.forgetRowsOf(tx, traineeId, person);
        await this.workingAge.keep(tx, traineeId, person.birthDate);
      },
      // Run after inTransaction: the erasure's message names the natural keys its rows held, read before they went.
      integrationEvents: (events) => traineeIntegrationEvents(events).map((message) => withImportNaturalKeys(message, importNaturalKeys)),
    });
  }
}

/**
 * The erasure's message with the natural keys of the person's rows that other services applied: those
 * services kept keys before keys named their trainee, and find them by these (ImportRowsConsumer).
 */
function withImportNaturalKeys(message: OutboxMessage, importNaturalKeys: ImportNaturalKey[]): OutboxMessage {
  if (message.envelope.type !== 'PersonalDataErased' || importNaturalKeys.length === 0) return message;
  const payload: PersonalDataErasedV1 = { ...(message.envelope.payload as PersonalDataErasedV1), importNaturalKeys };
  return { ...message, envelope: { ...message.envelope, payload } };
}
