// POST /api/v1/certificates/{number}/void: a certificate recorded in error leaves the platform as if never
// recorded, on certification-service alone (real Postgres, HTTP): off the ladder, the list and public
// verification, its credential's status entry revoked, its number free, CertificateVoided published for
// the other services; refused to anyone but the issuing evaluator's staff, and while a later certificate
// of a route was judged on a ladder that held it.
import { fixedClock } from '@skills/domain-kernel';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { MESSAGE_PUBLISHER } from '@skills/messaging';
import { ServiceRegistry } from '@skills/service-runtime';
import { bearer, http, ServiceSpec, startServiceSpec, traineeRegisteredFact, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CertificationModule } from '../../certification.module';
import { certifyBody, evaluator, staffOf, WELDER } from '../../certification-fixtures';

const clock = fixedClock('2021-10-15T02:00:00.000Z');

describe('certification: voiding a certificate recorded in error', () => {
  let service: ServiceSpec;
  let sql: Client;
  const published: OutboxMessage[] = [];

  const post = async (path: string, body: unknown, headers: Record<string, string>) => http(service.host.baseUrl, 'POST', path, body, headers);
  const voidIt = (number: string, headers: Record<string, string>, reason = '导入时填错了等级') => post(`/api/v1/certificates/${number}/void`, { reason }, headers);
  const caughtUp = () => service.host.app.get(ServiceRegistry).get('certification')?.projections.caughtUp();

  /** An evaluator, its staff and a registered worker with no level yet. */
  const arranged = async () => {
    const issuer = evaluator('social_organisation');
    const traineeId = randomUUID();
    const staff = await staffOf(issuer.evaluatorId);
    await service.spec.given(issuer.past, traineeRegisteredFact(traineeId)).when('GET', '/api/v1/certificates', undefined, staff).then(200);
    const certify = async (level: string, certifiedOn: string) => {
      const answer = await post('/api/v1/certifications', certifyBody(traineeId, issuer.evaluatorId, level as never, 'assessment', { certifiedOn }), staff);
      expect(answer.status).toBe(201);
      return answer.body.certificateNumber as string;
    };
    return { issuer, staff, traineeId, certify };
  };

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=certification' });
    await sql.connect();
    const publisher = service.host.app.get<MessagePublisher>(MESSAGE_PUBLISHER, { strict: false });
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (messages, stopping) => {
      published.push(...messages);
      return publish(messages, stopping);
    };
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  it('takes the certificate off the ladder, the list and verification, revokes its credential and frees its number', async () => {
    const { staff, traineeId, certify } = await arranged();
    const apprentice = await certify('apprentice', '2021-03-01');
    const junior = await certify('junior', '2021-06-01');
    await caughtUp();
    await waitFor(async () => (await sql.query('SELECT 1 FROM certificate_credentials WHERE certificate_number = $1', [junior])).rowCount === 1);
    const credential = (await http(service.host.baseUrl, 'GET', `/api/v1/certificates/${junior}/credential`)).body;
    expect((await post('/api/v1/credentials/verify', { credential }, {})).body).toMatchObject({ verified: true });

    expect(await voidIt(junior, staff)).toMatchObject({ status: 200, body: { certificateNumber: junior, status: 'voided', levelAfter: 'apprentice' } });

    expect((await http(service.host.baseUrl, 'GET', `/api/v1/certificates/${junior}`)).status).toBe(404);
    const ladder = await http(service.host.baseUrl, 'GET', `/api/v1/ladder/trainees/${traineeId}?consistent=true`, undefined, staff);
    expect(ladder.body).toMatchObject([{ occupationCode: WELDER, level: 'apprentice', certificateNumber: apprentice, history: [{ certificateNumber: apprentice }] }]);
    expect(ladder.body[0].history).toHaveLength(1);
    await caughtUp();
    const listed = await http(service.host.baseUrl, 'GET', '/api/v1/certificates', undefined, staff);
    expect(listed.body.items.map((item: { number: string }) => item.number)).toEqual([apprentice]);
    // The number is free (on the index without a holder), and counted as voided once.
    expect((await sql.query('SELECT trainee_id, occupation_code, voided_recordings FROM certificate_numbers WHERE certificate_number = $1', [junior])).rows).toEqual([{ trainee_id: null, occupation_code: null, voided_recordings: 1 }]);
    // Its credential: no longer stored, its status entry revoked (a copy held anywhere fails its status check).
    await waitFor(async () => (await sql.query('SELECT 1 FROM certificate_credentials WHERE certificate_number = $1', [junior])).rowCount === 0);
    expect((await sql.query('SELECT revoked FROM credential_allocations WHERE certificate_number = $1', [junior])).rows).toEqual([{ revoked: true }]);
    // The credential the holder was given fails: no longer one this platform holds for the number, and revoked in its list.
    const checked = (await post('/api/v1/credentials/verify', { credential }, {})).body;
    expect(checked).toMatchObject({ verified: false });
    expect(checked.checks.filter((check: { passed: boolean }) => !check.passed).map((check: { check: string }) => check.check)).toEqual(expect.arrayContaining(['issuer']));
    // The other services are told, without the reason (kept here alone).
    const voided = await waitFor(() => published.find((message) => message.envelope.type === 'CertificateVoided' && (message.envelope.payload as { certificateNumber: string }).certificateNumber === junior));
    expect(voided).toMatchObject({ key: traineeId, envelope: { payload: { certificateNumber: junior, traineeId, occupationCode: WELDER, voidedLevel: 'junior', levelAfter: 'apprentice', evaluatorHoldsOthers: true, voidedOn: '2021-10-15' } } });
    expect(voided.envelope.payload).not.toHaveProperty('reason');
    // Voided once: a second void, or a revocation after it, finds no certificate.
    expect((await voidIt(junior, staff)).status).toBe(404);
    expect((await post(`/api/v1/certificates/${junior}/revocation`, { reason: '材料造假' }, staff)).status).toBe(404);
  });

  it('voids a revoked certificate too (a revocation made of a mistake), though a certificate was judged without it since', async () => {
    const { staff, certify } = await arranged();
    const junior = await certify('junior', '2021-03-01');
    expect((await post(`/api/v1/certificates/${junior}/revocation`, { reason: '以为填错了' }, staff)).status).toBe(200);
    // Judged on the certificates that stand: the revoked one gave it nothing.
    const again = await certify('junior', '2021-06-01');
    expect(await voidIt(junior, staff)).toMatchObject({ status: 200, body: { status: 'voided', levelAfter: 'junior' } });
    expect((await http(service.host.baseUrl, 'GET', `/api/v1/certificates/${junior}`)).status).toBe(404);
    expect((await http(service.host.baseUrl, 'GET', `/api/v1/certificates/${again}`)).body).toMatchObject({ status: 'valid' });
  });

  it('refuses while a later certificate of a route was judged on a ladder that held it; voided from the top down, both go', async () => {
    const { staff, traineeId, certify } = await arranged();
    const apprentice = await certify('apprentice', '2021-03-01');
    const junior = await certify('junior', '2021-06-01');
    const refused = await voidIt(apprentice, staff);
    expect(refused).toMatchObject({ status: 409, body: { rule: 'later_certificate_stands_on_it', laterCertificateNumber: junior } });
    expect(JSON.stringify(refused.body)).not.toContain(traineeId);
    expect((await http(service.host.baseUrl, 'GET', `/api/v1/certificates/${apprentice}`)).status).toBe(200);
    expect((await voidIt(junior, staff)).status).toBe(200);
    expect(await voidIt(apprentice, staff)).toMatchObject({ status: 200, body: { levelAfter: null } });
    // The last of the evaluator's certificates of the worker: its relation to them rests on none (the relations' consumers take it back).
    const last = await waitFor(() => published.find((message) => message.envelope.type === 'CertificateVoided' && (message.envelope.payload as { certificateNumber: string }).certificateNumber === apprentice));
    expect(last.envelope.payload).toMatchObject({ evaluatorHoldsOthers: false });
  });

  it("refuses anyone but the issuing evaluator's staff, an unknown number, and a reason holding a mobile number", async () => {
    const { staff, certify } = await arranged();
    const junior = await certify('junior', '2021-03-01');
    const other = evaluator('social_organisation');
    const otherStaff = await staffOf(other.evaluatorId);
    await service.spec.given(other.past).when('GET', '/api/v1/certificates', undefined, otherStaff).then(200);
    expect(await voidIt(junior, otherStaff)).toMatchObject({ status: 403, body: { permission: 'certificates:revoke' } });
    expect((await voidIt(junior, bearer(await service.issuer.token({ role: 'platform_admin' })))).status).toBe(403);
    expect((await voidIt(junior, bearer(await service.issuer.token({ role: 'school_staff', organisationId: randomUUID() })))).status).toBe(403);
    expect((await voidIt(`${junior.slice(0, -6)}999999`, otherStaff)).status).toBe(404);
    const personal = await voidIt(junior, staff, '持证人手机 13812345678 填错');
    expect(personal.status).toBe(400);
    expect(JSON.stringify(personal.body)).toContain('personal_data_in_text');
    expect(JSON.stringify(personal.body)).not.toContain('13812345678');
    expect((await http(service.host.baseUrl, 'GET', `/api/v1/certificates/${junior}`)).status).toBe(200);
  });
});
