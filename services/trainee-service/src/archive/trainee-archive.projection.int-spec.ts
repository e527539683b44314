// The archive read model on a real Postgres: a stretch of the log in one statement leaves what event by
// event leaves, with a correction of an entry in the same stretch and an entry at a lower position.
import { RecordedEvent } from '@skills/event-sourcing';
import { databaseForTests } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { ArchiveEvent } from './archive.aggregate';
import { ArchiveCertificateVoid, ArchiveEntry } from './archive-entry';
import { traineeArchive } from './trainee-archive.projection';

const [worker, other] = [randomUUID(), randomUUID()].sort();

const entry = (traineeId: string, key: string, kind: ArchiveEntry['kind'], at: string, details: Record<string, unknown>): ArchiveEntry => ({
  traineeId,
  key,
  sourceEventId: randomUUID(),
  context: kind === 'certified' ? 'certification' : 'training',
  kind,
  at,
  details,
});

/** Recorded at log position `position`. */
const recorded = (data: ArchiveEntry, position: number): RecordedEvent<ArchiveEvent> =>
  ({
    type: 'ArchiveEntryRecorded',
    data,
    eventId: randomUUID(),
    streamId: `archive-${data.traineeId}`,
    streamVersion: position,
    schemaVersion: 1,
    metadata: { correlationId: 'test' },
    recordedAt: '2024-07-01T00:00:00.000Z',
    position: { transactionId: '1', globalPosition: String(position) },
  }) as RecordedEvent<ArchiveEvent>;

describe('the trainee archive read model', () => {
  const { sql, tx } = databaseForTests();
  const rows = async (table: string) =>
    (await sql().query(`SELECT trainee_id, entry_key, kind, at::text, recorded_position::int, context, source_event_id, details FROM ${table} ORDER BY trainee_id, entry_key`)).rows;

  it('applies a stretch of the log in one statement exactly as event by event: a correction in it, and an older entry replayed', async () => {
    const assessed = entry(worker, 'result-1', 'assessed', '2024-05-01', { score: 58 });
    const corrected = entry(worker, 'result-1', 'assessed', '2024-05-02', { score: 61 });
    const certified = entry(worker, 'cert-1', 'certified', '2024-06-01', { level: 'junior' });
    const theirs = entry(other, 'cert-2', 'certified', '2024-06-02', { level: 'senior' });
    // Another event of the service's log, ignored; the last one at a lower position (the log is in commit
    // order, positions are not): it changes nothing.
    const another = { ...recorded(theirs, 15), type: 'TraineeRegistered' } as unknown as RecordedEvent<ArchiveEvent>;
    const log = [recorded(assessed, 10), recorded(certified, 11), recorded(corrected, 12), another, recorded(theirs, 13), recorded(assessed, 9)];

    const technician = entry(other, 'cert-3', 'certified', '2024-06-03', { level: 'technician' });
    for (const table of ['one_by_one', 'in_a_batch']) {
      await traineeArchive.createTable(tx(), table);
      // Already in the table at a later position than the replay at the end of the stretch.
      await traineeArchive.apply(tx(), table, recorded(technician, 20));
      await traineeArchive.apply(tx(), table, recorded(entry(other, 'cert-3', 'certified', '2020-01-01', { level: 'apprentice' }), 14));
    }
    for (const event of log) await traineeArchive.apply(tx(), 'one_by_one', event);
    await traineeArchive.applyAll?.(tx(), 'in_a_batch', log);
    expect(traineeArchive.applyAll).toBeDefined();

    expect(await rows('in_a_batch')).toEqual(await rows('one_by_one'));
    const row = (data: ArchiveEntry, position: number) => ({
      trainee_id: data.traineeId,
      entry_key: data.key,
      kind: data.kind,
      at: data.at,
      recorded_position: position,
      context: data.context,
      source_event_id: data.sourceEventId,
      details: data.details,
    });
    expect(await rows('in_a_batch')).toEqual([
      row(certified, 11),
      row(corrected, 12),
      row(theirs, 13),
      row(technician, 20),
    ]);
  });

  it("keeps an enrolment's latest result by its course's version: a parked original retried after its correction does not stand over it", async () => {
    const correction = { ...entry(worker, 'assessed:late', 'assessed', '2024-05-02', { score: 75 }), sourceVersion: 7 };
    const original = { ...entry(worker, 'assessed:late', 'assessed', '2024-05-01', { score: 40 }), sourceVersion: 5 };
    // Recorded before the version was kept: judged by position, as before.
    const legacy = entry(other, 'assessed:legacy', 'assessed', '2024-05-01', { score: 50 });
    const legacyCorrection = entry(other, 'assessed:legacy', 'assessed', '2024-05-03', { score: 55 });
    const log = [recorded(correction, 30), recorded(legacy, 31), recorded(original, 32), recorded(legacyCorrection, 33)];
    for (const table of ['late_one_by_one', 'late_in_a_batch']) await traineeArchive.createTable(tx(), table);
    for (const event of log) await traineeArchive.apply(tx(), 'late_one_by_one', event);
    await traineeArchive.applyAll?.(tx(), 'late_in_a_batch', log);
    for (const table of ['late_one_by_one', 'late_in_a_batch']) {
      // The worker's row first: `worker` sorts before `other`.
      expect((await rows(table)).map((row) => [row.entry_key, row.details])).toEqual([
        ['assessed:late', { score: 75 }],
        ['assessed:legacy', { score: 55 }],
      ]);
    }
  });
  it("keeps a certificate's recording on its entries and a void as a row of its own, in a stretch as event by event, whichever comes first", async () => {
    const first = entry(worker, 'cert-first', 'certified', '2024-06-01', { certificateNumber: 'S9' });
    const second = { ...entry(worker, 'cert-second', 'certified', '2024-09-01', { certificateNumber: 'S9' }), recording: 2 };
    const firstVoid: ArchiveCertificateVoid = { traineeId: worker, sourceEventId: randomUUID(), certificateNumber: 'S9', recording: 1, voidedOn: '2024-08-01' };
    const voidAt = (position: number) => ({ ...recorded(first, position), type: 'ArchiveCertificateVoided', data: firstVoid }) as RecordedEvent<ArchiveEvent>;
    // Recording 2 first; recording 1's void, then recording 1 (a letter retried), then the void again (a replay).
    const log = [recorded(second, 40), voidAt(41), recorded(first, 42), voidAt(43)];
    for (const table of ['void_one_by_one', 'void_in_a_batch']) await traineeArchive.createTable(tx(), table);
    for (const event of log) await traineeArchive.apply(tx(), 'void_one_by_one', event);
    await traineeArchive.applyAll?.(tx(), 'void_in_a_batch', log);
    const withRecordings = async (table: string) =>
      (await sql().query(`SELECT entry_key, kind, recording, details FROM ${table} ORDER BY recorded_position`)).rows;
    expect(await withRecordings('void_in_a_batch')).toEqual(await withRecordings('void_one_by_one'));
    expect(await withRecordings('void_in_a_batch')).toEqual([
      { entry_key: 'cert-second', kind: 'certified', recording: 2, details: { certificateNumber: 'S9' } },
      { entry_key: firstVoid.sourceEventId, kind: 'certificate_voided', recording: 1, details: { certificateNumber: 'S9' } },
      { entry_key: 'cert-first', kind: 'certified', recording: 1, details: { certificateNumber: 'S9' } },
    ]);
  });
});
