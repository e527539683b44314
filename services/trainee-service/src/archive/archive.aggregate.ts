import { assertNever } from '@skills/domain-kernel';
import { ArchiveCertificateVoid, ArchiveEmploymentVoid, ArchiveEnrollmentVoid, ArchiveEntry, ArchiveFact } from './archive-entry';

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

export type ArchiveEvent = ArchiveEntryRecorded | ArchiveCertificateVoided | ArchiveEmploymentVoided | ArchiveEnrollmentVoided;

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

export type ArchiveCommand = RecordArchiveEntry | RecordCertificateVoid | RecordEmploymentVoid | RecordEnrollmentVoid;

/** The command that records what a message makes of the archive: an entry (it has a kind), or the void of what it names. */
export function archiveCommandOf(fact: ArchiveFact): ArchiveCommand {
  if ('kind' in fact) return { type: 'RecordArchiveEntry', entry: fact };
  if ('certificateNumber' in fact) return { type: 'RecordCertificateVoid', void: fact };
  if ('employmentId' in fact) return { type: 'RecordEmploymentVoid', void: fact };
  return { type: 'RecordEnrollmentVoid', void: fact };
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
    default:
      return assertNever(command);
  }
}

export interface Archive {
  sourceEventIds: Set<string>;
}

export const archiveStreamId = (traineeId: string) => `archive-${traineeId}`;

export const archiveAggregate = {
  initialState: (): Archive => ({ sourceEventIds: new Set() }),

  evolve(state: Archive, event: ArchiveEvent): Archive {
    switch (event.type) {
      case 'ArchiveEntryRecorded':
      case 'ArchiveCertificateVoided':
      case 'ArchiveEmploymentVoided':
      case 'ArchiveEnrollmentVoided':
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
