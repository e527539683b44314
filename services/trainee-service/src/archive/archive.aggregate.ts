import { assertNever } from '@skills/domain-kernel';
import { ArchiveCertificateVoid, ArchiveCourseCorrection, ArchiveEmploymentVoid, ArchiveEnrollmentVoid, ArchiveEntry, ArchiveFact } from './archive-entry';

/**
 * The archive as a stream per trainee in this service's own log: entries learnt from other
 * contexts are recorded here once, so the archive read model can be rebuilt from this log like
 * any other, whichever transport brought them.
 */
export interface ArchiveEntryRecorded {
  type: 'ArchiveEntryRecorded';
  data: ArchiveEntry;
}

/** A certificate of the archive voided: the readers leave its entries out (trainee-archive.projection.ts). */
export interface ArchiveCertificateVoided {
  type: 'ArchiveCertificateVoided';
  data: ArchiveCertificateVoid;
}

/** An employment of the archive voided: the readers leave its entries out (trainee-archive.projection.ts). */
export interface ArchiveEmploymentVoided {
  type: 'ArchiveEmploymentVoided';
  data: ArchiveEmploymentVoid;
}

/** An enrolment of the archive voided with its results: the readers leave its entries out (trainee-archive.projection.ts). */
export interface ArchiveEnrollmentVoided {
  type: 'ArchiveEnrollmentVoided';
  data: ArchiveEnrollmentVoid;
}

/**
 * A course's title corrected, recorded once in the course's own stream of this log (archiveCourseStreamId):
 * the readers show it on every entry of the course (trainee-archive.projection.ts).
 */
export interface ArchiveCourseCorrected {
  type: 'ArchiveCourseCorrected';
  data: ArchiveCourseCorrection;
}

export type ArchiveEvent = ArchiveEntryRecorded | ArchiveCertificateVoided | ArchiveEmploymentVoided | ArchiveEnrollmentVoided | ArchiveCourseCorrected;

export interface RecordArchiveEntry {
  type: 'RecordArchiveEntry';
  entry: ArchiveEntry;
}

export interface RecordCertificateVoid {
  type: 'RecordCertificateVoid';
  void: ArchiveCertificateVoid;
}

export interface RecordEmploymentVoid {
  type: 'RecordEmploymentVoid';
  void: ArchiveEmploymentVoid;
}

export interface RecordEnrollmentVoid {
  type: 'RecordEnrollmentVoid';
  void: ArchiveEnrollmentVoid;
}

export interface RecordCourseCorrection {
  type: 'RecordCourseCorrection';
  correction: ArchiveCourseCorrection;
}

export type ArchiveCommand = RecordArchiveEntry | RecordCertificateVoid | RecordEmploymentVoid | RecordEnrollmentVoid | RecordCourseCorrection;

/** The command that records what a message makes of the archive: an entry (it has a kind), or the void of what it names. */
export function archiveCommandOf(fact: ArchiveFact): ArchiveCommand {
  if ('kind' in fact) return { type: 'RecordArchiveEntry', entry: fact };
  if ('certificateNumber' in fact) return { type: 'RecordCertificateVoid', void: fact };
  if ('employmentId' in fact) return { type: 'RecordEmploymentVoid', void: fact };
  if (!('traineeId' in fact)) return { type: 'RecordCourseCorrection', correction: fact };
  return { type: 'RecordEnrollmentVoid', void: fact };
}

/** The stream a fact is recorded in: the trainee's archive, or the course's for a correction of it (it concerns every trainee of the course). */
export function archiveStreamOf(fact: ArchiveFact): string {
  return 'traineeId' in fact ? archiveStreamId(fact.traineeId) : archiveCourseStreamId(fact.courseId);
}

/** The event each command records. */
function eventOf(command: ArchiveCommand): ArchiveEvent {
  switch (command.type) {
    case 'RecordArchiveEntry':
      return { type: 'ArchiveEntryRecorded', data: command.entry };
    case 'RecordCertificateVoid':
      return { type: 'ArchiveCertificateVoided', data: command.void };
    case 'RecordEmploymentVoid':
      return { type: 'ArchiveEmploymentVoided', data: command.void };
    case 'RecordEnrollmentVoid':
      return { type: 'ArchiveEnrollmentVoided', data: command.void };
    case 'RecordCourseCorrection':
      return { type: 'ArchiveCourseCorrected', data: command.correction };
    default:
      return assertNever(command);
  }
}

export interface Archive {
  sourceEventIds: Set<string>;
}

export const archiveStreamId = (traineeId: string) => `archive-${traineeId}`;
/** A course's corrections as the archive keeps them (a trainee's id, a uuid, never begins with `course-`). */
export const archiveCourseStreamId = (courseId: string) => `archive-course-${courseId}`;

export const archiveAggregate = {
  initialState: (): Archive => ({ sourceEventIds: new Set() }),

  evolve(state: Archive, event: ArchiveEvent): Archive {
    switch (event.type) {
      case 'ArchiveEntryRecorded':
      case 'ArchiveCertificateVoided':
      case 'ArchiveEmploymentVoided':
      case 'ArchiveEnrollmentVoided':
      case 'ArchiveCourseCorrected':
        return { sourceEventIds: new Set(state.sourceEventIds).add(event.data.sourceEventId) };
      default:
        return assertNever(event);
    }
  },

  /** A fact is recorded once, even if a consumer's inbox were bypassed (a replay from another source). */
  decide(command: ArchiveCommand, state: Archive): ArchiveEvent[] {
    const event = eventOf(command);
    return state.sourceEventIds.has(event.data.sourceEventId) ? [] : [event];
  },
};
