// A fact about the trainee that the archive's consumer could not apply waits as a dead letter for an
// operator: no wait brings it, so a read of the archive, with ?consistent=true too, is answered without it
// but never called complete. trainee-service alone; the letters parked as the consumer parks them.
import { CERTIFICATION_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { fixedClock } from '@skills/domain-kernel';
import { bearer, http, parkDeadLetter, ServiceSpec, startServiceSpec, testIdentityNumber } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ARCHIVE_CONSUMER } from './archive.consumer';
import { TraineeModule } from '../trainee.module';

describe('the archive says it lacks the trainee’s facts parked as dead letters', () => {
  let service: ServiceSpec;
  let sql: Client;
  let admin: Record<string, string>;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', clock: fixedClock('2021-06-15T02:00:00.000Z'), token: { role: 'school_staff', organisationId: randomUUID() } });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=trainee' });
    await sql.connect();
    admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  let person = 5300;
  const register = async (): Promise<string> => (await service.spec.when('POST', '/api/v1/trainees', { name: '张三', idNumber: testIdentityNumber(person++), phone: '13800000000' }).then(201)).body.id;
  /** A certificate of the trainee the archive's consumer could not apply, as it parks one; its event id. */
  const parkCertificate = (traineeId: string): Promise<string> => parkDeadLetter(sql, ARCHIVE_CONSUMER, CERTIFICATION_TOPIC, { type: 'LevelCertified', aggregateId: traineeId, payload: { traineeId, certificateNumber: 'S000000000000001' } });
  /** The archive's answer as a platform administrator reads it, and its freshness headers. */
  const archive = async (traineeId: string, consistent: boolean) => {
    const answer = await http(service.host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}/archive${consistent ? '?consistent=true' : ''}`, undefined, admin);
    expect(answer.status).toBe(200);
    return answer;
  };

  it('is complete, with nothing pending, when no fact of the trainee waits', async () => {
    const traineeId = await register();
    const { body, headers } = await archive(traineeId, true);
    expect(body.freshness).toEqual({ completeUpTo: expect.any(String), pendingFacts: 0 });
    expect(headers.get('complete-up-to')).toBe(body.freshness.completeUpTo);
  });

  it.each([true, false])('with consistent %s: answered, not complete, the parked certificate counted as pending', async (consistent) => {
    const traineeId = await register();
    await parkCertificate(traineeId);
    const { body, headers } = await archive(traineeId, consistent);
    // A plain read also counts what this service's own projections have still to apply (the registration a moment ago, under load).
    const pending = body.freshness.pendingFacts as number;
    if (consistent) expect(pending).toBe(1);
    else expect(pending).toBeGreaterThanOrEqual(1);
    expect(body.freshness.completeUpTo).toBeNull();
    expect(headers.get('complete-up-to')).toBeNull();
    expect(headers.get('pending-facts')).toBe(String(pending));
  });

  it('answers a school whose relating enrolment waits as a dead letter 503 with ?consistent=true, not the 404 of a stranger', async () => {
    const traineeId = await register();
    const school = randomUUID();
    const eventId = await parkDeadLetter(sql, 'trainee.trainee-relations', TRAINING_TOPIC, { type: 'TraineeEnrolled', aggregateId: randomUUID(), payload: { traineeId, enrollmentId: randomUUID(), course: { providerId: school } } });
    const staff = bearer(await service.issuer.token({ role: 'school_staff', organisationId: school }));
    const read = (query: string) => http(service.host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}/archive${query}`, undefined, staff);
    expect(await read('?consistent=true')).toMatchObject({ status: 503, body: { rule: 'facts_not_caught_up' } });
    expect((await read('')).status).toBe(404);
  });

  it('is complete again once the letter is applied, and is not held back by a letter about another trainee', async () => {
    const traineeId = await register();
    const letter = await parkCertificate(traineeId);
    await sql.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2)', [ARCHIVE_CONSUMER, letter]);
    const eventId = await parkDeadLetter(sql, ARCHIVE_CONSUMER, TRAINING_TOPIC, { type: 'TraineeEnrolled', aggregateId: randomUUID(), payload: { traineeId: randomUUID(), enrollmentId: randomUUID() } });
    const { body } = await archive(traineeId, true);
    expect(body.freshness).toEqual({ completeUpTo: expect.any(String), pendingFacts: 0 });
  });
});
