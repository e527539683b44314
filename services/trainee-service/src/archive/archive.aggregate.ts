import { assertNever } from '@skills/domain-kernel';
import { ArchiveEntry } from './archive-entry';

/**
 * The archive as a stream per trainee in this service's own log: entries learnt from other
 * contexts are recorded here once, so the archive read model can be rebuilt from this log like
 * any other, whichever transport brought them.
 */
export interface ArchiveEntryRecorded {
  type: 'ArchiveEntryRecorded';
  data: ArchiveEntry;
}

export type ArchiveEvent = ArchiveEntryRecorded;

export interface RecordArchiveEntry {
  type: 'RecordArchiveEntry';
  entry: ArchiveEntry;
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
        return { sourceEventIds: new Set(state.sourceEventIds).add(event.data.sourceEventId) };
      default:
        return assertNever(event.type);
    }
  },

  /** A fact is recorded once, even if a consumer's inbox were bypassed (a replay from another source). */
  decide(command: RecordArchiveEntry, state: Archive): ArchiveEvent[] {
    if (state.sourceEventIds.has(command.entry.sourceEventId)) return [];
    return [{ type: 'ArchiveEntryRecorded', data: command.entry }];
  },
};
