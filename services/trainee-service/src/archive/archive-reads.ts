import { Injectable } from '@nestjs/common';
import { CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINING_TOPIC, type Caller } from '@skills/contracts';
import { ProjectionRunner } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { countUnappliedLetters } from '@skills/messaging';
import { AuditTrail, CatchUp, Freshness, TraineeRelations, withParkedFacts } from '@skills/service-runtime';
import { ARCHIVE_CONSUMER } from './archive.consumer';
import { VOIDED_CERTIFICATE_ROW, VOIDED_EMPLOYMENT_ROW, VOIDED_ENROLLMENT_ROW } from './trainee-archive.projection';
import { traineeStreamId } from '../trainees/trainee.aggregate';
import { TraineeAnswer, TraineeAnswers } from '../trainees/trainee-answer';

/** One entry as answered: its business date, kind, context and the fields of its fact. */
export type ArchiveEntryAnswer = { at: string; kind: string; context: string } & Record<string, unknown>;

/**
 * The fields of an employment's entries that only the people party to it read: what the employer pays
 * (a hire's `monthlyWage`) and why it ended (an end's `reason`, a dismissal say). Every related
 * organisation reads the archive (domain.md section 9), but a school that once enrolled the person, an
 * evaluator that certified them or another employer reads neither, as no employer reads another's wage
 * (wage-insight.controller.ts).
 */
const EMPLOYMENT_PRIVATE_FIELDS: Partial<Record<string, readonly string[]>> = { hired: ['monthlyWage'], employment_ended: ['reason'] };

/** Whether the caller is party to an employment: the trainee themself, platform_admin, or staff of the entry's own employer. */
function partyToEmployment(caller: Caller, traineeId: string, employerId: unknown): boolean {
  if (caller.role === 'platform_admin') return true;
  if (caller.role === 'trainee') return caller.traineeId === traineeId;
  return caller.organisationId !== null && caller.organisationId === employerId;
}

/** The entry's details as the caller may read them: an employment's private fields left out (absent) for anyone not party to it. */
function detailsFor(caller: Caller, traineeId: string, kind: string, details: Record<string, unknown>): Record<string, unknown> {
  const privateFields = EMPLOYMENT_PRIVATE_FIELDS[kind];
  if (!privateFields || partyToEmployment(caller, traineeId, details['employerId'])) return details;
  return Object.fromEntries(Object.entries(details).filter(([field]) => !privateFields.includes(field)));
}

export interface ArchiveRead {
  trainee: TraineeAnswer;
  entries: ArchiveEntryAnswer[];
  freshness: Freshness;
}

/**
 * A trainee's archive for a caller who may read it (the trainee, a related organisation, platform_admin;
 * anybody else gets the 404 of an unknown trainee), audited like a read of the trainee: the answer and
 * the PDFs made of it carry the person in full, but an employment's wage and end reason only for those
 * party to it (EMPLOYMENT_PRIVATE_FIELDS).
 */
@Injectable()
export class ArchiveReads {
  constructor(
    private readonly trainees: TraineeAnswers,
    private readonly database: Database,
    private readonly relations: TraineeRelations,
    private readonly audit: AuditTrail,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
  ) {}

  /** Entries in business-date order; facts of the same day in the order they were recorded here. */
  async read(caller: Caller, traineeId: string, consistent: boolean): Promise<ArchiveRead> {
    const trainee = await this.trainees.find(traineeId);
    // Entries come from training's, certification's and placement's topics, and this service's own
    // projection. The same facts relate organisations to the trainee: with ?consistent=true they are
    // caught up before the caller is judged, so a school that has just enrolled someone reads them.
    const freshness = await this.catchUp.forRead(consistent, [TRAINING_TOPIC, CERTIFICATION_TOPIC, PLACEMENT_TOPIC], this.projections);
    // With ?consistent=true a caller not related yet is judged on caught-up relations, as GET /trainees/{id} is:
    // one whose relating fact waits as a dead letter gets 503, not the 404 of a stranger.
    await (consistent ? this.relations.assertMayReadCaughtUp(caller, traineeId) : this.relations.assertMayRead(caller, traineeId));
    await this.audit.read(caller, 'trainees:read-archive', traineeStreamId(traineeId));
    // A voided certificate was never recorded: its entries are left out, as are the void's own row and the
    // entries of a recording of a number the trainee holds a later recording of (one is recorded again only
    // once the earlier is voided: its void may be on its way still, or parked). Nor was a voided employment
    // (its hire and end) or a voided enrolment (its enrolment, withdrawal and results): each void's row
    // names the employment or enrolment as its entries' details do.
    const { rows } = await this.database.query<{ at: string; kind: string; context: string; details: Record<string, unknown> }>(
      `SELECT to_char(at, 'YYYY-MM-DD') AS at, kind, context, details FROM trainee_archive entry
       WHERE trainee_id = $1 AND kind NOT IN ($2, $3, $4)
         AND NOT (kind IN ('certified', 'certificate_revoked') AND EXISTS (
               SELECT 1 FROM trainee_archive other
                WHERE other.trainee_id = entry.trainee_id AND other.details ->> 'certificateNumber' = entry.details ->> 'certificateNumber'
                  AND ((other.kind = $2 AND other.recording = entry.recording) OR (other.kind = 'certified' AND other.recording > entry.recording))))
         AND NOT (kind IN ('hired', 'employment_ended') AND EXISTS (
               SELECT 1 FROM trainee_archive voided
                WHERE voided.trainee_id = entry.trainee_id AND voided.kind = $3 AND voided.details ->> 'employmentId' = entry.details ->> 'employmentId'))
         AND NOT (kind IN ('enrolled', 'withdrew', 'assessed') AND EXISTS (
               SELECT 1 FROM trainee_archive voided
                WHERE voided.trainee_id = entry.trainee_id AND voided.kind = $4 AND voided.details ->> 'enrollmentId' = entry.details ->> 'enrollmentId'))
       ORDER BY at, recorded_position`,
      [traineeId, VOIDED_CERTIFICATE_ROW, VOIDED_EMPLOYMENT_ROW, VOIDED_ENROLLMENT_ROW],
    );
    // The trainee's facts that could not be applied here (dead letters): the answer lacks them, and says so.
    const parked = await countUnappliedLetters(this.database, ARCHIVE_CONSUMER, traineeId);
    return { trainee, entries: rows.map(({ at, kind, context, details }) => ({ at, kind, context, ...detailsFor(caller, traineeId, kind, details) })), freshness: withParkedFacts(freshness, parked) };
  }
}
