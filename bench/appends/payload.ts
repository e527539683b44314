// The payload every store appends; apart from stores.ts, so that a process can use it without loading
// Emmett (whose dumbo replaces pg's type parsers process-wide).
import { systemActor } from '@skills/contracts';
import { DomainEvent, EventMetadata } from '@skills/event-sourcing';
import { randomUUID } from 'node:crypto';

export type BenchEvent = DomainEvent<'TraineeRegistered', Record<string, unknown>> & { metadata?: Record<string, unknown> };

/** The same payload for every store: about the size of a real TraineeRegistered. */
export function benchEvents(count: number, sequence: number): BenchEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    type: 'TraineeRegistered' as const,
    data: {
      traineeId: randomUUID(),
      name: `学员${sequence}-${index}`,
      idNumber: '430202199001011233',
      phone: '13800000000',
      regionCode: '430202',
      birthDate: '1990-01-01',
      gender: 'male',
      categories: ['rural_migrant'],
      registeredOn: '2026-01-01',
    },
  }));
}

export function benchMetadata(): EventMetadata {
  return { correlationId: randomUUID(), actor: systemActor('bench') };
}
