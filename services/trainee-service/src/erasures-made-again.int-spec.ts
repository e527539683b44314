// A distributed deployment keeps no erasure ledger: the trainee topic, kept for ever, is the record. After
// trainee-service's database is restored to a time before an erasure or a void, and its consumer group set
// back before that time (README, "Operations"), their messages come again, and what the log lacks is made
// again, as the all-in-one's ledger makes it at its start. Here the messages come as they would then: for
// trainees whose log holds no erasure.
import { TRAINEE_TOPIC } from '@skills/contracts';
import { columnOf, fact, publishFacts, startServiceSpec, ServiceSpec, testIdentityNumber, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from './trainee.module';

describe('erasures and voids on the trainee topic that the log lacks (a restored database)', () => {
  let service: ServiceSpec;
  let n = 7400;
  const register = async () => (await service.spec.when('POST', '/api/v1/trainees', { name: '恢复检查', idNumber: testIdentityNumber(n++), phone: '13800000000' }).then(201)).body.id as string;
  const eventsOf = (traineeId: string) =>
    columnOf(service.database.url, `SELECT event_type || ' by ' || coalesce(metadata->'actor'->>'component', metadata->'actor'->>'userId', '?') AS value FROM trainee.events WHERE stream_id = 'trainee-${traineeId}' ORDER BY stream_version`);
  const erasedFact = (traineeId: string) => fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId, erasedOn: '2026-11-30' }, { key: traineeId });

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', token: { role: 'platform_admin' } });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('erases a trainee whose erasure the log lacks, and voids one whose void it lacks', async () => {
    const erased = await register();
    const voided = await register();
    await publishFacts(service.host, [erasedFact(erased), fact(TRAINEE_TOPIC, 'TraineeRegistrationVoided', { traineeId: voided, voidedOn: '2026-11-30' }, { key: voided })]);

    await waitFor(async () => (await eventsOf(erased)).length === 2, { description: 'the erasure made again' });
    expect(await eventsOf(erased)).toEqual([expect.stringMatching(/^TraineeRegistered by /), 'PersonalDataErased by erasure-ledger']);
    await service.spec.when('GET', `/api/v1/trainees/${erased}`).then(200, [], { personalDataErased: true, name: null, phone: null });
    await waitFor(async () => (await eventsOf(voided)).length === 2, { description: 'the void made again' });
    expect(await eventsOf(voided)).toEqual([expect.stringMatching(/^TraineeRegistered by /), 'TraineeRegistrationVoided by erasure-ledger']);
    await service.spec.when('GET', `/api/v1/trainees/${voided}`).then(404);
  });

  it('does nothing more for an erasure the log holds, nor for a trainee it does not know', async () => {
    const erased = await register();
    await service.spec.when('DELETE', `/api/v1/trainees/${erased}/personal-data`).then(204);
    const unknown = randomUUID();
    const holder = await register();
    // The erasure again (a redelivery), one of nobody known here, then one that is owed, to know the two before it were handled.
    await publishFacts(service.host, [erasedFact(erased), erasedFact(unknown), erasedFact(holder)]);
    await waitFor(async () => (await eventsOf(holder)).length === 2, { description: 'the last erasure made again' });
    expect(await eventsOf(erased)).toEqual([expect.stringMatching(/^TraineeRegistered by /), expect.stringMatching(/^PersonalDataErased by (?!erasure-ledger)/)]);
    expect(await eventsOf(unknown)).toEqual([]);
    expect(await columnOf(service.database.url, 'SELECT count(*)::text AS value FROM trainee.dead_letters')).toEqual(['0']);
  });
});
