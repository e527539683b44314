// Public certificate verification by number and holder's name (POST /api/v1/certificates/verification,
// the name in the body), across trainee-service and certification-service in one process: certification
// holds only the masked name, so it asks trainee-service (TraineeNames) whether the name given is the
// holder's. The holder's real name finds the certificate; any other is the unknown number's 404; a
// corrected name counts at once; after 5 wrong names in a UTC day a number answers every name 429, the
// right one too, while other numbers go on, and certification keeps no name of it; after the holder's
// personal data is erased no name finds it, while the number alone still verifies it.
import { CertificationModule } from '@skills/certification-service';
import { bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, testIssuer } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { Client } from 'pg';

describe('certificate verification by number and holder name (trainee and certification in one process)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: Record<string, string>;
  let number: string;
  let holder: string;
  /** A second holder's certificate, whose name is guessed until it is refused. */
  let guessed: string;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => http(host.baseUrl, method, path, body, headers);
  const verify = (holderName?: string, certificate = number) =>
    holderName === undefined ? call('GET', `/api/v1/certificates/${certificate}`) : call('POST', '/api/v1/certificates/verification', { number: certificate, holderName });
  /** The problem an unknown number gets, written for `certificate`. */
  const asUnknown = (body: unknown, certificate: string) => JSON.stringify(body).replaceAll(certificate, '{number}');

  beforeAll(async () => {
    const issuer = await testIssuer();
    admin = bearer(await issuer.token({ role: 'platform_admin' }));
    database = await createTestDatabase();
    host = await startTestHost({ modules: [TraineeModule, CertificationModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: 5000 });

    const trainee = await call('POST', '/api/v1/trainees', { name: '王建国', idNumber: testIdentityNumber(9700), phone: '13800000000' }, admin);
    expect(trainee.status).toBe(201);
    holder = trainee.body.id;
    const evaluator = await call('POST', '/api/v1/evaluators', { name: '湖南省焊接协会', creditCode: testCreditCode(970), kind: 'social_organisation', regionCode: '430200' }, admin);
    expect(evaluator.status).toBe(201);
    const staff = bearer(await issuer.token({ role: 'evaluator_staff', organisationId: evaluator.body.id }));
    const certified = await call('POST', '/api/v1/certifications', { traineeId: holder, occupationCode: '6-18-02-04', level: 'junior', route: 'assessment', evaluatorId: evaluator.body.id, certifiedOn: '2021-06-01' }, staff);
    expect(certified.status).toBe(201);
    number = certified.body.certificateNumber;

    const other = await call('POST', '/api/v1/trainees', { name: '李秀英', idNumber: testIdentityNumber(9701), phone: '13800000001' }, admin);
    expect(other.status).toBe(201);
    const otherCertified = await call('POST', '/api/v1/certifications', { traineeId: other.body.id, occupationCode: '6-18-02-04', level: 'junior', route: 'assessment', evaluatorId: evaluator.body.id, certifiedOn: '2021-06-01' }, staff);
    expect(otherCertified.status).toBe(201);
    guessed = otherCertified.body.certificateNumber;
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it("finds the certificate by the holder's registered name, and answers another name as an unknown number", async () => {
    expect(await verify('王建国')).toMatchObject({ status: 200, body: { number, holderName: '王**', status: 'valid', verificationUrl: `http://localhost:3000/verify/${number}` } });
    expect(await verify(' 王 建国 ')).toMatchObject({ status: 200, body: { number } });
    const wrong = await verify('王建军');
    const unknown = await verify('王建国', 'S000143430200215999999');
    expect([wrong.status, unknown.status]).toEqual([404, 404]);
    expect(asUnknown(wrong.body, number)).toBe(asUnknown(unknown.body, 'S000143430200215999999'));
  });

  it('follows a correction of the name at once', async () => {
    expect((await call('PATCH', `/api/v1/trainees/${holder}`, { name: '王建华' }, admin)).status).toBe(200);
    expect((await verify('王建国')).status).toBe(404);
    expect((await verify('王建华')).status).toBe(200);
  });

  it('answers every name 429 after 5 wrong ones for a number in a UTC day, the right one too; other numbers go on; no name is kept', async () => {
    const wrong = [];
    for (const guess of ['李秀', '李秀莹', '李绣英', '黎秀英', '李秀瑛']) wrong.push((await verify(guess, guessed)).status);
    expect(wrong).toEqual([404, 404, 404, 404, 404]);
    const sixth = await verify('李晓英', guessed);
    const right = await verify('李秀英', guessed);
    expect(sixth).toMatchObject({ status: 429, body: { rule: 'rate_limited', limit: 5 } });
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    // The right name is refused as the wrong one was: nothing tells them apart (but the seconds gone by).
    expect(right.status).toBe(429);
    expect({ ...right.body, retryAfter: 0, detail: '' }).toEqual({ ...sixth.body, retryAfter: 0, detail: '' });
    // The number alone still verifies it; the first certificate still takes its holder's name.
    expect(await verify(undefined, guessed)).toMatchObject({ status: 200, body: { number: guessed, holderName: '李**' } });
    expect(await verify('王建华')).toMatchObject({ status: 200, body: { number } });

    // certification keeps the number and a count, never a name.
    const sql = new Client({ connectionString: database.url, options: '-c search_path=certification' });
    await sql.connect();
    try {
      const { rows } = await sql.query('SELECT * FROM verification_wrong_names');
      expect(rows.find((row) => row.certificate_number === guessed)).toMatchObject({ wrong_names: 5 });
      const stored = JSON.stringify(rows);
      for (const name of ['王建国', '王建军', '王建华', '李秀英', '李秀', '李晓英']) expect(stored).not.toContain(name);
    } finally {
      await sql.end();
    }
  });

  it('finds it by no name once the holder’s personal data is erased; the number alone still verifies it', async () => {
    expect((await call('DELETE', `/api/v1/trainees/${holder}/personal-data`, undefined, admin)).status).toBe(204);
    expect((await verify('王建华')).status).toBe(404);
    expect(await verify()).toMatchObject({ status: 200, body: { number, status: 'valid' } });
  });
});
