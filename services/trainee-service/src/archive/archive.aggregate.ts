import { assertNever } from '@skills/domain-kernel';
import { ArchiveCertificateVoid, ArchiveEntry } from './archive-entry';

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

export type ArchiveEvent = ArchiveEntryRecorded | ArchiveCertificateVoided;

export interface RecordArchiveEntry {
  type: 'RecordArchiveEntry';
  entry: ArchiveEntry;
}

export interface RecordCertificateVoid {
  type: 'RecordCertificateVoid';
  void: ArchiveCertificateVoid;
}

export type ArchiveCommand = RecordArchiveEntry | RecordCertificateVoid;

/** The command that records what a message makes of the archive: an entry (it has a kind), or a void. */
export const archiveCommandOf = (fact: ArchiveEntry | ArchiveCertificateVoid): ArchiveCommand =>
  'kind' in fact ? { type: 'RecordArchiveEntry', entry: fact } : { type: 'RecordCertificateVoid', void: fact };

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
        return { sourceEventIds: new Set(state.sourceEventIds).add(event.data.sourceEventId) };
      default:
        return assertNever(event);
    }
  },

  /** A fact is recorded once, even if a consumer's inbox were bypassed (a replay from another source). */
  decide(command: ArchiveCommand, state: Archive): ArchiveEvent[] {
    switch (command.type) {
      case 'RecordArchiveEntry':
        return state.sourceEventIds.has(command.entry.sourceEventId) ? [] : [{ type: 'ArchiveEntryRecorded', data: command.entry }];
      case 'RecordCertificateVoid':
        return state.sourceEventIds.has(command.void.sourceEventId) ? [] : [{ type: 'ArchiveCertificateVoided', data: command.void }];
      default:
        return assertNever(command);
    }
  },
};
