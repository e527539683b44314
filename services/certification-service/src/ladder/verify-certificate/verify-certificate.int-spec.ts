// Public verification of a certificate over HTTP on certification-service alone (real Postgres): by
// number (GET), and by number and holder's name in a body as the national lookup asks (POST, api.md),
// where another name is answered exactly as an unknown number; the verification URL under PUBLIC_ORIGIN;
// the bound of VERIFY_WRONG_NAMES_PER_CERTIFICATE_PER_DAY wrong names per number, client address (named by
// X-Forwarded-For, which the host believes from the loopback) and UTC day, with a ceiling ten times that per
// number from all addresses, kept in the database with no name; and the per-address limit of VERIFY_RATE_LIMIT_PER_MINUTE over both routes.
// Names are trainee-service's: here its answer (the TraineeNames question) comes from a stand-in holding
// the names the trainee facts were registered with.
import { Clock, evaluatorCodeFor } from '@skills/domain-kernel';
import { TraineeNames, TraineeRegistryUnavailable } from '@skills/service-runtime';
import { ApiSpec, bearer, http, ServiceSpec, startServiceSpec, stream, testIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CertificationModule } from '../../certification.module';
import { EvaluatorRegistered } from '../../evaluators/evaluator.aggregate';

/** 02:00 UTC: 22 hours (79,200 s) before the UTC day ends. Moved on by the test that crosses midnight. */
let now = '2021-10-15T02:00:00.000Z';
const clock: Clock = { now: () => new Date(now) };
const ORIGIN = 'https://zhengshu.example.cn';
/** A number of the right shape that no evaluator here issued (the last serial of a year). */
const UNKNOWN_NUMBER = 'S000143430200215999999';
/** The name the stand-in registry cannot answer for (trainee-service unreachable). */
const UNANSWERED = '无应答';

/** The holders' names as trainee-service holds them, asked through TraineeNames. */
const registeredNames = new Map<string, string>();
const standInRegistry = (service: ServiceSpec) =>
  service.host.app.get(TraineeNames).register({
    matches: async (traineeId, name) => {
      if (name === UNANSWERED) throw new TraineeRegistryUnavailable();
      return registeredNames.get(traineeId) === name;
    },
  });

const verify = (service: ServiceSpec, number: string) => http(service.host.baseUrl, 'GET', `/api/v1/certificates/${number}`);
/** From the test's own address (the loopback), or from `address` as a proxy on the loopback names it. */
const verifyByName = (service: ServiceSpec, number: unknown, holderName: unknown, address?: string) =>
  http(service.host.baseUrl, 'POST', '/api/v1/certificates/verification', { number, holderName }, address ? { 'x-forwarded-for': address } : {});

describe('certification: public verification by number, and by number and holder name', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;
  let sql: Client;
  /** One certificate per holder, by name. */
  const numbers: Record<string, string> = {};

  const wrongNameCounts = async () => (await sql.query<{ certificate_number: string; day: string; wrong_names: number }>("SELECT certificate_number, to_char(day, 'YYYY-MM-DD') AS day, wrong_names FROM verification_wrong_names ORDER BY certificate_number, day")).rows;
  const wrongNameCountsByAddress = async () =>
    (
      await sql.query<{ certificate_number: string; address: string; day: string; wrong_names: number }>(
        "SELECT certificate_number, address, to_char(day, 'YYYY-MM-DD') AS day, wrong_names FROM verification_wrong_names_by_address ORDER BY certificate_number, address, day",
      )
    ).rows;

  beforeAll(async () => {
    // The test issuer names the same origin as the host's issuer, so its tokens stay valid there.
    process.env.PUBLIC_ORIGIN = ORIGIN;
    // A per-address limit out of the way: here only the per-certificate bound is seen.
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', replicaWaitMs: 200, clock, settings: { PUBLIC_ORIGIN: ORIGIN, VERIFY_RATE_LIMIT_PER_MINUTE: '1000' } });
    spec = service.spec;
    standInRegistry(service);
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=certification' });
    await sql.connect();

    const evaluatorId = randomUUID();
    const registered: EvaluatorRegistered = {
      type: 'EvaluatorRegistered',
      data: { evaluatorId, name: '株洲市焊接协会', creditCode: '91430200MA4L00001P', kind: 'social_organisation', regionCode: '430200', evaluatorCode: evaluatorCodeFor(1400) },
    };
    const staff = bearer(await (await testIssuer()).token({ role: 'evaluator_staff', organisationId: evaluatorId }));
    for (const [index, name] of ['王建国', '李秀英', '张伟', '刘洋', '王伟', '陈静'].entries()) {
      const holder = randomUUID();
      registeredNames.set(holder, name);
      const registeredHolder = traineeRegisteredFact(holder, { nameMasked: `${name[0]}**` });
      const certified = await spec
        .given(...(index === 0 ? [stream(`evaluator-${evaluatorId}`, registered)] : []), registeredHolder)
        .when('POST', '/api/v1/certifications', { traineeId: holder, occupationCode: '6-18-02-04', level: 'junior', route: 'assessment', evaluatorId, certifiedOn: '2021-06-01' }, staff)
        .then(201, [{ type: 'LevelCertified' }]);
      numbers[name] = certified.body.certificateNumber;
    }
  });

  afterAll(async () => {
    delete process.env.PUBLIC_ORIGIN;
    await sql?.end();
    await service?.close();
  });

  it('answers by number alone, with the verification URL under PUBLIC_ORIGIN', async () => {
    const number = numbers['王建国'];
    expect(await verify(service, number)).toMatchObject({
      status: 200,
      body: { number, holderName: '王**', occupationCode: '6-18-02-04', level: 'junior', route: 'assessment', evaluator: '株洲市焊接协会', certifiedOn: '2021-06-01', status: 'valid', verificationUrl: `${ORIGIN}/verify/${number}` },
    });
    expect(await verify(service, UNKNOWN_NUMBER)).toMatchObject({ status: 404 });
  });

  it('takes no name in the URL any more: refused naming holderName, never answered as if it had been checked', async () => {
    const answer = await http(service.host.baseUrl, 'GET', `/api/v1/certificates/${numbers['王建国']}?holderName=${encodeURIComponent('王建军')}`);
    expect(answer).toMatchObject({ status: 400, body: { errors: [{ field: 'holderName', rule: 'unknown_field' }] } });
  });

  it("answers the holder's own name (trimmed, the number in any case) exactly as the number alone, never the full name", async () => {
    const number = numbers['王建国'];
    const byNumber = await verify(service, number);
    const byName = await verifyByName(service, number, '王建国');
    expect(byName).toMatchObject({ status: 200, body: byNumber.body });
    expect(byName.body).toEqual(byNumber.body);
    expect(JSON.stringify(byName.body)).not.toContain('王建国');
    expect(await verifyByName(service, ` ${number.toLowerCase()} `, '  王建国 ')).toMatchObject({ status: 200, body: { number, verificationUrl: `${ORIGIN}/verify/${number}` } });
    // A right name is not a wrong one: nothing is left counted against the number.
    expect((await wrongNameCounts()).filter((row) => row.wrong_names > 0)).toEqual([]);
  });

  it('answers another name 404, in the very words of an unknown number', async () => {
    const number = numbers['王建国'];
    const wrongName = await verifyByName(service, number, '王建军');
    const unknownNumber = await verifyByName(service, UNKNOWN_NUMBER, '王建国');
    expect(wrongName.status).toBe(404);
    expect(unknownNumber.status).toBe(404);
    // The same problem, but for the number each asked about.
    expect(JSON.stringify(wrongName.body).replaceAll(number, '{number}')).toBe(JSON.stringify(unknownNumber.body).replaceAll(UNKNOWN_NUMBER, '{number}'));
    expect(wrongName.headers.get('content-type')).toBe(unknownNumber.headers.get('content-type'));
    expect(await verify(service, UNKNOWN_NUMBER)).toMatchObject({ status: 404, body: unknownNumber.body });
  });

  it('refuses a malformed number, and a missing, blank or too long name, naming the field', async () => {
    const number = numbers['王建国'];
    const refused = async (body: unknown) => {
      const answer = await http(service.host.baseUrl, 'POST', '/api/v1/certificates/verification', body);
      expect(answer.status).toBe(400);
      return answer.body.errors.map((error: { field: string; rule: string }) => `${error.field} ${error.rule}`);
    };
    expect(await refused({ number: 'S0001', holderName: '王建国' })).toEqual(['number isCertificateNumber']);
    // In the current format's shape, a number must read as one (serial 000000 does not); anything else of
    // 6–40 capitals, digits and hyphens may be a number of an earlier format an import kept (404 if none).
    expect(await refused({ number: 'S000143430200215000000', holderName: '王建国' })).toEqual(['number isCertificateNumber']);
    expect(await refused({ number: 'S000143430200215000001/X', holderName: '王建国' })).toEqual(['number isCertificateNumber']);
    expect(await verifyByName(service, 'S000143430200215000001X', '王建国')).toMatchObject({ status: 404 });
    expect(await refused({ holderName: '王建国' })).toEqual(['number isString']);
    // A missing name breaks every rule of a text (IsText), each named.
    expect(await refused({ number })).toEqual(expect.arrayContaining(['holderName isString']));
    expect((await refused({ number })).every((error: string) => error.startsWith('holderName '))).toBe(true);
    expect(await refused({ number, holderName: '  ' })).toEqual(['holderName blank']);
    expect(await refused({ number, holderName: '王'.repeat(101) })).toEqual(['holderName maxLength']);
    expect(await refused({ number, holderName: ['王建国'] })).toEqual(expect.arrayContaining(['holderName isString']));
    expect(await refused({ number, holderName: '王建国', traineeId: randomUUID() })).toEqual(['traineeId unknown_field']);
    // None of these was a name checked, so none was counted.
    expect((await wrongNameCounts()).find((row) => row.certificate_number === number)?.wrong_names).toBe(1);
  });

  it('after 5 wrong names for a number from one address in a UTC day answers every name from it 429, the right one too, alike; other numbers go on', async () => {
    const number = numbers['张伟'];
    const answers = [];
    for (const guess of ['张卫', '张威', '张为', '章伟', '张玮']) answers.push((await verifyByName(service, number, guess)).status);
    expect(answers).toEqual([404, 404, 404, 404, 404]);

    const sixthWrong = await verifyByName(service, number, '张薇');
    const right = await verifyByName(service, number, '张伟');
    expect(sixthWrong).toMatchObject({ status: 429, body: { status: 429, rule: 'rate_limited', limit: 5, retryAfter: 79_200 } });
    expect(sixthWrong.headers.get('retry-after')).toBe('79200');
    expect(sixthWrong.headers.get('content-type')).toContain('application/problem+json');
    // Nothing tells the right name from a wrong one.
    expect({ status: right.status, body: right.body, retryAfter: right.headers.get('retry-after') }).toEqual({ status: 429, body: sixthWrong.body, retryAfter: '79200' });

    // The number alone still verifies it; another certificate still takes its holder's name, and a wrong one.
    expect(await verify(service, number)).toMatchObject({ status: 200, body: { number, holderName: '张**' } });
    expect(await verifyByName(service, numbers['李秀英'], '李秀英')).toMatchObject({ status: 200, body: { number: numbers['李秀英'] } });
    expect((await verifyByName(service, numbers['李秀英'], '李秀')).status).toBe(404);
    // Other addresses are not locked out of the number for this one's guesses.
    expect(await verifyByName(service, number, '张伟', '198.51.100.7')).toMatchObject({ status: 200, body: { number } });
    expect((await verifyByName(service, number, '张薇', '198.51.100.7')).status).toBe(404);
  });

  it("checks the holder's right name from an address that guessed nothing, after five addresses each gave a wrong one", async () => {
    const number = numbers['王伟'];
    const guesses = [];
    for (const [i, guess] of ['王卫', '王威', '王为', '汪伟', '王玮'].entries()) guesses.push((await verifyByName(service, number, guess, `203.0.113.${i + 1}`)).status);
    expect(guesses).toEqual([404, 404, 404, 404, 404]);
    expect(await verifyByName(service, number, '王伟', '203.0.113.6')).toMatchObject({ status: 200, body: { number } });
  });

  it('after ten addresses spent their 5 wrong names on a number in a UTC day, checks no name on it from any address; the number alone still verifies it', async () => {
    const number = numbers['陈静'];
    for (let address = 1; address <= 10; address += 1) {
      const answers = [];
      for (let guess = 0; guess < 5; guess += 1) answers.push((await verifyByName(service, number, `陈${address}${guess}`, `203.0.113.${address}`)).status);
      expect(answers).toEqual([404, 404, 404, 404, 404]);
    }
    expect((await wrongNameCounts()).find((row) => row.certificate_number === number)?.wrong_names).toBe(50);

    const fresh = await verifyByName(service, number, '陈静', '192.0.2.200');
    expect(fresh).toMatchObject({ status: 429, body: { status: 429, rule: 'rate_limited', limit: 50, retryAfter: 79_200 } });
    expect(fresh.headers.get('retry-after')).toBe('79200');
    expect(await verifyByName(service, number, '陈晶', '192.0.2.201')).toMatchObject({ status: 429, body: fresh.body });
    expect(await verify(service, number)).toMatchObject({ status: 200, body: { number } });
    // Refused unasked, nothing was counted for them.
    expect((await wrongNameCountsByAddress()).filter((row) => row.address.startsWith('192.0.2.'))).toEqual([]);
  });

  it('keeps only the number, the address, the day and the counts: no name, nor anything else', async () => {
    const columnsOf = async (table: string) =>
      (await sql.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'certification' AND table_name = $1 ORDER BY ordinal_position", [table])).rows.map((column) => column.column_name);
    expect(await columnsOf('verification_wrong_names')).toEqual(['certificate_number', 'day', 'wrong_names']);
    expect(await columnsOf('verification_wrong_names_by_address')).toEqual(['certificate_number', 'address', 'day', 'wrong_names']);
    expect(await wrongNameCountsByAddress()).toEqual(
      expect.arrayContaining([
        // The other address's wrong name after the loopback's five.
        { certificate_number: numbers['张伟'], address: '198.51.100.7', day: '2021-10-15', wrong_names: 1 },
        { certificate_number: numbers['王伟'], address: '203.0.113.1', day: '2021-10-15', wrong_names: 1 },
        { certificate_number: numbers['陈静'], address: '203.0.113.1', day: '2021-10-15', wrong_names: 5 },
      ]),
    );
    const byAddress = JSON.stringify(await wrongNameCountsByAddress());
    for (const name of [...registeredNames.values(), '张卫', '张薇', '王卫']) expect(byAddress).not.toContain(name);
    const rows = await wrongNameCounts();
    expect(rows).toEqual(
      expect.arrayContaining([
        { certificate_number: numbers['王建国'], day: '2021-10-15', wrong_names: 1 },
        { certificate_number: numbers['李秀英'], day: '2021-10-15', wrong_names: 1 },
        // The sixth wrong name and the right one from the loopback were refused unasked: its count stopped at the bound.
        { certificate_number: numbers['张伟'], day: '2021-10-15', wrong_names: 6 },
      ]),
    );
    const stored = JSON.stringify(rows);
    for (const name of [...registeredNames.values(), '王建军', '张卫', '张薇', '李秀']) expect(stored).not.toContain(name);
  });

  it('counts no name trainee-service did not answer (503), and lets no concurrent guesses past the bound', async () => {
    const number = numbers['刘洋'];
    expect(await verifyByName(service, number, UNANSWERED)).toMatchObject({ status: 503, body: { rule: 'trainee_registry_unavailable' } });
    expect((await wrongNameCounts()).find((row) => row.certificate_number === number)?.wrong_names ?? 0).toBe(0);

    // Ten wrong guesses at once, as from ten replicas: five are checked, five refused unasked.
    const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => verifyByName(service, number, `刘${i}`)))).map((answer) => answer.status).sort();
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429, 429, 429, 429]);
    expect((await wrongNameCounts()).find((row) => row.certificate_number === number)?.wrong_names).toBe(5);
  });

  it("takes names for the number again when the UTC day ends, and forgets the day's counts", async () => {
    const number = numbers['张伟'];
    now = '2021-10-15T23:59:59.500Z';
    const lastMoment = await verifyByName(service, number, '张伟');
    expect(lastMoment).toMatchObject({ status: 429, body: { retryAfter: 1 } });
    now = '2021-10-16T00:00:00.000Z';
    expect(await verifyByName(service, number, '张伟')).toMatchObject({ status: 200, body: { number } });
    // Yesterday's counts went with the first check of the day.
    expect((await wrongNameCounts()).filter((row) => row.day < '2021-10-16')).toEqual([]);
    expect((await wrongNameCountsByAddress()).filter((row) => row.day < '2021-10-16')).toEqual([]);
  });

  it('counts an IPv6 client by its /64: five wrong names from five of its addresses lock the sixth out, not another /64', async () => {
    const number = numbers['刘洋'];
    const guesses = [];
    for (const [i, guess] of ['刘阳', '刘扬', '柳洋', '刘杨', '留洋'].entries()) guesses.push((await verifyByName(service, number, guess, `2001:db8:7:7::${i + 1}`)).status);
    expect(guesses).toEqual([404, 404, 404, 404, 404]);
    expect((await verifyByName(service, number, '刘洋', '2001:db8:7:7:ffff::99')).status).toBe(429);
    expect(await verifyByName(service, number, '刘洋', '2001:db8:7:8::1')).toMatchObject({ status: 200, body: { number } });
  });

  it('documents the POST as public with its body and both 429s, and the GET by number alone', async () => {
    const document = (await http(service.host.baseUrl, 'GET', '/api/docs-json')).body;
    const byNumber = document.paths['/api/v1/certificates/{number}'].get;
    expect((byNumber.parameters ?? []).map((parameter: { name: string }) => parameter.name)).not.toContain('holderName');
    const byName = document.paths['/api/v1/certificates/verification'].post;
    expect(byName['x-permission']).toBe('public');
    expect(byName.security ?? []).not.toEqual(expect.arrayContaining([expect.objectContaining({ bearer: expect.anything() })]));
    expect(byName.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CertificateVerification' });
    expect(Object.keys(byName.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '429', '503']));
    expect(byName.responses['429'].description).toContain('VERIFY_RATE_LIMIT_PER_MINUTE');
    expect(byName.responses['429'].description).toContain('VERIFY_WRONG_NAMES_PER_CERTIFICATE_PER_DAY');
    expect(byName.responses['429'].headers).toHaveProperty('Retry-After');
    const body = byName.requestBody.content['application/json'].schema.$ref.split('/').pop();
    expect(document.components.schemas[body]).toMatchObject({ required: expect.arrayContaining(['number', 'holderName']), properties: { holderName: { maxLength: 100 } } });
    expect(document.components.schemas.CertificateVerification.required).toContain('verificationUrl');
  });
});

describe('certification: the public verification has its own, tighter limit per client address', () => {
  const LIMIT = 3;
  let service: ServiceSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', clock, settings: { VERIFY_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
    standInRegistry(service);
  });

  afterAll(() => service?.close());

  it(`answers 429 with Retry-After after ${LIMIT} verifications in a minute by number and by name together; other routes go on`, async () => {
    const answers = [(await verify(service, UNKNOWN_NUMBER)).status, (await verifyByName(service, UNKNOWN_NUMBER, '王建国')).status, (await verify(service, UNKNOWN_NUMBER)).status];
    expect(answers).toEqual([404, 404, 404]);

    const limited = await verifyByName(service, UNKNOWN_NUMBER, '王建国');
    expect(limited).toMatchObject({ status: 429, body: { status: 429, rule: 'rate_limited', limit: LIMIT, retryAfter: expect.any(Number) } });
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A malformed number or body is counted too (the limit comes before anything is read).
    expect((await http(service.host.baseUrl, 'GET', '/api/v1/certificates/not-a-number')).status).toBe(429);
    expect((await verifyByName(service, 'not-a-number', '')).status).toBe(429);

    // The host-wide limit (RATE_LIMIT_PER_ADDRESS_PER_MINUTE) is far from reached: other routes answer.
    expect((await http(service.host.baseUrl, 'GET', '/health/live')).status).toBe(200);
  });
});

describe('certification: a certificate’s credential and its QR code count as verifications by number', () => {
  const LIMIT = 2;
  let service: ServiceSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [CertificationModule], service: 'certification', clock, settings: { VERIFY_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
    standInRegistry(service);
  });

  afterAll(() => service?.close());

  it('answers 429 once a client address has asked for more than the limit, whichever of them it asked', async () => {
    // Whether a number has a credential says whether it is a certificate's: a way round the limit otherwise.
    const credential = () => http(service.host.baseUrl, 'GET', `/api/v1/certificates/${UNKNOWN_NUMBER}/credential`);
    const qr = () => http(service.host.baseUrl, 'GET', `/api/v1/certificates/${UNKNOWN_NUMBER}/credential/qr`);
    expect([(await credential()).status, (await qr()).status]).toEqual([404, 404]);
    expect(await credential()).toMatchObject({ status: 429, body: { rule: 'rate_limited', limit: LIMIT } });
    expect((await qr()).status).toBe(429);
    expect((await verify(service, UNKNOWN_NUMBER)).status).toBe(429);
  });
});
