import { Injectable } from '@nestjs/common';
import { Caller, CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { unappliedLetterAboutTrainee } from '@skills/messaging';
import { FieldRefusal } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CatchUp, FactsParked, TraineeRelations } from '@skills/service-runtime';
import { PoolClient } from 'pg';
import { archiveStreamId } from '../../archive/archive.aggregate';
import { ARCHIVE_CONSUMER } from '../../archive/archive.consumer';
import { PersonalDataKeys } from '../../personal-data/personal-data-keys';
import { traineeAggregate, traineeStreamId, VoidRegistration } from '../trainee.aggregate';
import { traineeIntegrationEvents } from '../trainee-messages';
import { TraineeAnswers } from '../trainee-answer';
import { ImportJobUpkeep } from '../../imports/jobs/import-job-upkeep';
import { unindexTrainee } from '../search-trainees/search-index';
import { VoidRegistrationDto } from './void-registration.dto';

/**
 * A registration made in error (a wrong identity number, perhaps another person's): voided while
 * nothing refers to it, i.e. the trainee's archive holds nothing (enrolments, certificates and employments
 * all land there, in this service's own log) but certificates, enrolments and employments voided (archiveRefersTo). The key goes, so
 * the mistaken personal data is erased, and the identity claim goes, so the real holder of the number
 * can be registered (whose rows in import jobs, found by that number, are not the voided registration's
 * to forget; the trainees rows' keys are, so the row that made it registers anew when imported again).
 * Other services forget the trainee on TraineeRegistrationVoided; an enrolment racing the void is refused
 * there once the message arrives, and one accepted before it arrived but after this judged the referrals
 * is withdrawn there, freeing the seat (training's WithdrawVoidedEnrolments). One the archive could not
 * record (a dead letter of its consumer) refers to the trainee all the same: the void waits for it
 * (FactsParked).
 */
@Injectable()
export class VoidRegistrationHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly keys: PersonalDataKeys,
    private readonly relations: TraineeRelations,
    private readonly catchUp: CatchUp,
    private readonly trainees: TraineeAnswers,
    private readonly imports: ImportJobUpkeep,
    private readonly database: Database,
  ) {}

  async execute(traineeId: string, body: VoidRegistrationDto, caller: Caller): Promise<{ id: string }> {
    // "Nothing refers to them" is judged on every enrolment, certificate and hire accepted before now; the
    // same facts relate the caller to the trainee (the registration's relation is this service's own), and
    // one of them parked as a dead letter of the relations' consumer is waited for, not taken as "unrelated".
    await this.catchUp.facts([TRAINING_TOPIC, CERTIFICATION_TOPIC, PLACEMENT_TOPIC]);
    await this.relations.assertMayReadCaughtUp(caller, traineeId);
    if (await this.archiveFactParked(traineeId)) throw new FactsParked(`trainee ${traineeId}'s enrolments, certificates or employments`);
    refuseNamesInReason(body.reason, (await this.trainees.erasableFactsOf(traineeId)).names);
    await this.void(traineeId, body.reason, { role: caller.role, traineeId: caller.traineeId, organisationId: caller.organisationId });
    return { id: traineeId };
  }

  /**
   * Whether an enrolment, certificate or employment of the trainee (any fact the archive records) waits
   * unapplied as a dead letter of the archive's consumer: another service's record names them, though
   * their archive does not show it. Found by the payload's trainee, since training's messages are keyed by
   * their course (not unappliedLetterAbout's aggregate).
   */
  private async archiveFactParked(traineeId: string): Promise<boolean> {
    const { rows } = await this.database.query<{ parked: boolean }>(
      `SELECT ${unappliedLetterAboutTrainee('$1', '$2')} AS parked`,
      [ARCHIVE_CONSUMER, traineeId],
    );
    return rows[0].parked;
  }

  /** As `by` asks (the erasure ledger's upkeep, after a restore: as the platform). */
  async void(traineeId: string, reason: string, by: VoidRegistration['by']): Promise<void> {
    await this.commands.handle({
      stream: mustExist(traineeStreamId(traineeId), 'trainee', traineeId),
      aggregate: traineeAggregate,
      command: async (_, tx): Promise<VoidRegistration> => {
        return { type: 'VoidRegistration', traineeId, reason, referred: await archiveRefersTo(tx, traineeId), by };
      },
      inTransaction: async (tx) => {
        // Read before the key goes, under the stream's lock: the trainees rows that registered them are found by
        // their number, rows refused for a mistyped number by their phones, files named after them by their names.
        const person = await this.trainees.erasableFactsOf(traineeId);
        await this.imports.forgetRowsAndFileNamesNaming(tx, traineeId, person);
        await this.keys.destroy(tx, traineeId);
        await tx.query('DELETE FROM identity_claims WHERE trainee_id = $1', [traineeId]);
        await unindexTrainee(tx, traineeId);
        if (person.idNumber) await this.imports.forgetRegistrationRowKeys(tx, person.idNumber);
        await this.imports.forgetLookupQuestionsOf(tx, traineeId);
      },
      integrationEvents: (events) => traineeIntegrationEvents(events),
    });
  }
}

/**
 * The reason is kept for good, while the void erases the person's data: it may not hold a name they were
 * registered or corrected with (IsKeptText refuses their numbers, but cannot tell a name from other words;
 * here the names are known). Spaces are not told apart (王 伟 is 王伟); a one-character name is no word to look for.
 */
function refuseNamesInReason(reason: string, names: string[]): void {
  const folded = (text: string) => text.normalize('NFKC').replace(/\s/g, '').toLowerCase();
  const text = folded(reason);
  if (names.map(folded).some((name) => name.length > 1 && text.includes(name))) {
    throw new FieldRefusal('reason', 'personal_data_in_text', "reason is kept with the record for good, beyond the void's erasure: it must not hold the person's name (describe what happened, not the person)");
  }
}

/**
 * Whether an entry of the trainee's archive stream stands: one not cancelled by a void, nor a void itself.
 * A certificate voided (ArchiveCertificateVoided) was as if never recorded: its entries (certified,
 * certificate_revoked) of that recording of its number refer to nothing. So with a hire voided
 * (ArchiveEmploymentVoided: its hired and employment_ended entries) and an enrolment voided with its results
 * (ArchiveEnrollmentVoided: its enrolled, withdrew and assessed entries). A certificate, hire or enrolment
 * recorded for the wrong person and voided leaves their registration free to be voided too.
 */
async function archiveRefersTo(tx: PoolClient, traineeId: string): Promise<boolean> {
  const { rows } = await tx.query<{ referred: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM events entry
        WHERE entry.stream_id = $1 AND entry.event_type = 'ArchiveEntryRecorded'
          AND NOT (entry.data ->> 'kind' IN ('certified', 'certificate_revoked') AND EXISTS (
                SELECT 1 FROM events voided
                 WHERE voided.stream_id = $1 AND voided.event_type = 'ArchiveCertificateVoided'
                   AND voided.data ->> 'certificateNumber' = entry.data -> 'details' ->> 'certificateNumber'
                   AND (voided.data ->> 'recording')::int = coalesce((entry.data ->> 'recording')::int, 1)))
          AND NOT (entry.data ->> 'kind' IN ('hired', 'employment_ended') AND EXISTS (
                SELECT 1 FROM events voided
                 WHERE voided.stream_id = $1 AND voided.event_type = 'ArchiveEmploymentVoided'
                   AND voided.data ->> 'employmentId' = entry.data -> 'details' ->> 'employmentId'))
          AND NOT (entry.data ->> 'kind' IN ('enrolled', 'withdrew', 'assessed') AND EXISTS (
                SELECT 1 FROM events voided
                 WHERE voided.stream_id = $1 AND voided.event_type = 'ArchiveEnrollmentVoided'
                   AND voided.data ->> 'enrollmentId' = entry.data -> 'details' ->> 'enrollmentId'))
     ) AS referred`,
    [archiveStreamId(traineeId)],
  );
  return rows[0].referred;
}
