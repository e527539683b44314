// The API fuzzed as an outside tester would (issue 13): schemathesis (tools/fuzz) against the all-in-one
// host, over every operation of its OpenAPI document, within a time budget. Each operation is called as
// the user who owns what it acts on, with real resources drawn for its path and body ids most of the
// time, so that answers are the operation's own (201, 404, 409, 400…), not 401 or 403. The run must find
// no server error, no status the document does not declare and no body its schema does not describe.
// schemathesis's own reports stay in a temp dir, named in the failure message.
import { PERMISSIONS } from '@skills/service-runtime';
import { Role } from '@skills/contracts';
import { adminToken, bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, waitFor } from '@skills/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// tools/fuzz is plain JavaScript outside every project, so that .ci/run installs the fuzzer before anything is compiled.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { fetchSchemathesis } from '../../tools/fuzz/schemathesis';
import { ALL_SERVICES } from './declared-routes';
import { Binding, FuzzConfig, findings, Findings, FuzzRun, OperationConfig, runSchemathesis } from './schemathesis';

/** The budget of the whole run (FUZZ_MAX_TIME shortens it while working on this file). */
const MAX_SECONDS = Number(process.env.FUZZ_MAX_TIME ?? 240);
/**
 * One: Python 3.11 (Debian's) can fail schemathesis's threads with "AST constructor recursion depth
 * mismatch" (CPython gh-106905), an error of the tool, not of the API.
 */
const WORKERS = 1;
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'response_schema_conformance'];
const WELDER = '6-18-02-04';

/** Who calls: staff are their organisation's administrator; `erasing` is a trainee whose data the run erases. */
const ACTORS = {
  admin: 'platform_admin',
  bureau: 'bureau_officer',
  school: 'school_staff',
  /** Staff of the school who does not administer it: enrols their own TOTP. */
  clerk: 'school_staff',
  evaluator: 'evaluator_staff',
  employer: 'employer_staff',
  trainee: 'trainee',
  erasing: 'trainee',
} as const satisfies Record<string, Role>;
type Actor = keyof typeof ACTORS;

/** Real values the fuzzer draws ids from (the dictionaries of its config), made in beforeAll. */
type Fixture =
  | 'bureau'
  | 'provider'
  | 'evaluator'
  | 'employer'
  | 'trainee'
  | 'erasing'
  | 'voiding'
  | 'course'
  | 'certificate'
  | 'voidable'
  | 'misenrolled'
  | 'misenrolment'
  | 'placement'
  | 'employment'
  | 'mishired'
  | 'brand'
  | 'clerk'
  | 'doomedUser'
  | 'forgetfulUser'
  | 'apiKey'
  | 'grantType'
  | 'loginName'
  | 'loginPassword'
  | 'region'
  | 'tier'
  | 'service'
  | 'projection';

/** An operation's caller and the fixtures its path parameters (`path.<name>`) and body fields are drawn from. */
interface Caller {
  as?: Actor;
  path?: Record<string, Fixture>;
  body?: Record<string, Fixture>;
}

/**
 * One row per operation, keyed as the document spells it. The owner is the one of route-ownership's
 * rows; an operation that ends, revokes or erases something acts on a fixture of its own.
 */
const CALLERS: Record<string, Caller> = {
  'GET /.well-known/jwks.json': {},
  'GET /.well-known/openid-configuration': {},
  'POST /oauth/token': { body: { grant_type: 'grantType', username: 'loginName', password: 'loginPassword' } },
  'POST /oauth/revoke': {},
  'POST /api/v1/users/activate': {},
  'GET /api/v1/organisations': {},
  'GET /api/v1/placements': {},
  'GET /api/v1/placements/wages': {},
  'GET /api/v1/certificates/{number}': { path: { number: 'certificate' } },
  // Credentials: public, of a real certificate and evaluator; any body to verify; the rotation as staff who are no administrator.
  'GET /api/v1/certificates/{number}/credential': { path: { number: 'certificate' } },
  'GET /api/v1/certificates/{number}/credential/qr': { path: { number: 'certificate' } },
  'GET /evaluators/{id}/did.json': { path: { id: 'evaluator' } },
  'GET /api/v1/evaluators/{id}/status-lists/{list}': { path: { id: 'evaluator' } },
  'POST /api/v1/credentials/verify': {},
  'POST /api/v1/evaluators/{id}/signing-keys': { as: 'evaluator', path: { id: 'evaluator' } },
  'POST /api/v1/bureaus': { as: 'admin' },
  'POST /api/v1/providers': { as: 'bureau' },
  'POST /api/v1/evaluators': { as: 'bureau' },
  'GET /api/v1/evaluators/{id}': { as: 'evaluator', path: { id: 'evaluator' } },
  'POST /api/v1/employers': { as: 'bureau' },
  'GET /api/v1/me': { as: 'trainee' },
  'POST /api/v1/users': { as: 'school' },
  'POST /api/v1/api-keys': { as: 'school' },
  // As the employer: the ids these lists answer are none the school (who disables users and revokes keys here) may act on.
  'GET /api/v1/users': { as: 'employer' },
  'GET /api/v1/api-keys': { as: 'employer' },
  'POST /api/v1/users/{id}/totp': { as: 'clerk', path: { id: 'clerk' } },
  'POST /api/v1/users/{id}/totp/confirm': { as: 'clerk', path: { id: 'clerk' } },
  'DELETE /api/v1/users/{id}/totp': { as: 'admin', path: { id: 'clerk' } },
  'GET /api/v1/audit': { as: 'admin' },
  'POST /api/v1/trainees': { as: 'school' },
  'POST /api/v1/trainees/lookup': { as: 'school' },
  'GET /api/v1/trainees/{id}': { as: 'school', path: { id: 'trainee' } },
  'GET /api/v1/trainees/{id}/archive': { as: 'trainee', path: { id: 'trainee' } },
  'GET /api/v1/trainees/{id}/archive/pdf': { as: 'trainee', path: { id: 'trainee' } },
  // Imports as the school: uploads of any bytes and kind, and jobs by any id (its own or none).
  'POST /api/v1/imports': { as: 'school' },
  'GET /api/v1/imports': { as: 'school' },
  'GET /api/v1/imports/templates/{kind}': {},
  'GET /api/v1/imports/{id}': { as: 'school' },
  'GET /api/v1/imports/{id}/errors': { as: 'school' },
  'POST /api/v1/imports/{id}/run': { as: 'school' },
  'GET /api/v1/trainees/{id}/certificates/{number}/pdf': { as: 'trainee', path: { id: 'trainee', number: 'certificate' } },
  'POST /api/v1/trainees/{id}/activation-codes': { as: 'school', path: { id: 'trainee' } },
  'PATCH /api/v1/trainees/{id}': { as: 'school', path: { id: 'trainee' } },
  'POST /api/v1/trainees/{id}/void': { as: 'school', path: { id: 'voiding' } },
  'POST /api/v1/courses': { as: 'school' },
  'GET /api/v1/courses/{id}': { as: 'school', path: { id: 'course' } },
  'PATCH /api/v1/courses/{id}': { as: 'school', path: { id: 'course' } },
  'POST /api/v1/courses/{id}/enrollments': { as: 'school', path: { id: 'course' } },
  'POST /api/v1/courses/{id}/assessments': { as: 'school', path: { id: 'course' } },
  'DELETE /api/v1/courses/{id}/enrollments/{traineeId}': { as: 'school', path: { id: 'course', traineeId: 'trainee' } },
  'POST /api/v1/certifications': { as: 'evaluator' },
  'POST /api/v1/certificates/{number}/revocation': { as: 'evaluator', path: { number: 'certificate' } },
  'POST /api/v1/certificates/{number}/void': { as: 'evaluator', path: { number: 'voidable' } },
  'POST /api/v1/courses/{id}/enrollments/{traineeId}/void': { as: 'school', path: { id: 'course', traineeId: 'misenrolled' }, body: { enrollmentId: 'misenrolment' } },
  'GET /api/v1/ladder/trainees/{traineeId}': { as: 'evaluator', path: { traineeId: 'trainee' } },
  'GET /api/v1/ladder/distribution': { as: 'bureau' },
  'GET /api/v1/statistics/regions/{regionCode}': { as: 'bureau' },
  'GET /api/v1/statistics/providers/{id}/outcomes': { as: 'school' },
  'GET /api/v1/certificates': { as: 'evaluator' },
  'POST /api/v1/placements': { as: 'employer' },
  'POST /api/v1/placements/{id}/hires': { as: 'employer', path: { id: 'placement' } },
  'POST /api/v1/placements/{id}/close': { as: 'employer', path: { id: 'placement' } },
  'GET /api/v1/employments': { as: 'employer' },
  'POST /api/v1/employments/{id}/end': { as: 'employer', path: { id: 'employment' } },
  'POST /api/v1/employments/{id}/void': { as: 'employer', path: { id: 'mishired' } },
  'POST /api/v1/brands': { as: 'bureau' },
  'GET /api/v1/brands/{id}': { as: 'bureau', path: { id: 'brand' } },
  'PATCH /api/v1/brands/{id}': { as: 'bureau', path: { id: 'brand' } },
  'GET /api/v1/brands/{id}/qualification': { as: 'bureau', path: { id: 'brand' } },
  'POST /api/v1/brands/{id}/certifications': { as: 'bureau', path: { id: 'brand' } },
  'POST /api/v1/brands/{id}/certifications/{tier}/revocation': { as: 'bureau', path: { id: 'brand', tier: 'tier' } },
  'DELETE /api/v1/api-keys/{clientId}': { as: 'school', path: { clientId: 'apiKey' } },
  'POST /api/v1/users/{id}/password': { as: 'school', path: { id: 'forgetfulUser' } },
  'POST /api/v1/users/{id}/disable': { as: 'school', path: { id: 'doomedUser' } },
  'DELETE /api/v1/trainees/{id}/personal-data': { as: 'erasing', path: { id: 'erasing' } },
  'GET /api/v1/me/preferences': { as: 'trainee' },
  'PUT /api/v1/me/preferences': { as: 'trainee' },
  'POST /api/v1/certificates/verification': { body: { number: 'certificate' } },
  'GET /api/v1/trainees': { as: 'school' },
  'POST /api/v1/trainees/search': { as: 'school' },
  'GET /api/v1/courses': { as: 'school' },
  'GET /api/v1/courses/{id}/enrollments': { as: 'school', path: { id: 'course' } },
  'GET /api/v1/brands': { as: 'bureau' },
  'GET /api/v1/brands/{id}/qualification/series': { as: 'bureau', path: { id: 'brand' } },
  'GET /admin/projections': { as: 'admin' },
  'POST /admin/projections/{service}/{projection}/rebuild': { as: 'admin', path: { service: 'service', projection: 'projection' } },
  'POST /admin/projections/{service}/{projection}/parked/retry': { as: 'admin', path: { service: 'service', projection: 'projection' } },
  'GET /admin/dead-letters': { as: 'admin' },
  'POST /admin/dead-letters/{service}/{letter}/retry': { as: 'admin', path: { service: 'service' } },
  'POST /admin/brands/{id}/figures/rebuild': { as: 'admin', path: { id: 'brand' } },
  'POST /admin/identity/signing-keys/rotate': { as: 'admin' },
  'GET /admin/identity/signing-keys': { as: 'admin' },
  // No kid drawn from the real ones: retiring one would end the run's tokens.
  'POST /admin/identity/signing-keys/{kid}/retire': { as: 'admin' },
};

/** Ids in bodies and queries, wherever an operation has them, drawn from the fixtures as often as paths. */
const BODY_AND_QUERY: Record<string, Fixture> = {
  'body.providerId': 'provider',
  'body.evaluatorId': 'evaluator',
  'body.employerId': 'employer',
  'body.bureauId': 'bureau',
  'body.organisationId': 'provider',
  'body.traineeId': 'trainee',
  'body.regionCode': 'region',
  'query.organisationId': 'provider',
  'query.evaluatorId': 'evaluator',
  'query.regionCode': 'region',
};
/** How often a bound parameter is a real fixture; the rest of the time it is fuzzed like any other. */
const PROBABILITY = 0.8;
/** Who calls an operation without a row (one added since): the first role here that holds its permission. */
const FALLBACK: Actor[] = ['admin', 'school', 'bureau', 'evaluator', 'employer', 'trainee'];

interface Operation {
  key: string;
  method: string;
  path: string;
  permission: string;
}

let serial = 0;
const organisation = (name: string, regionCode: string) => ({ name, creditCode: testCreditCode(600 + serial++), regionCode });
const person = (name: string) => ({ name, idNumber: testIdentityNumber(600 + serial++), phone: '13800000002' });

describe('API fuzz: every operation answers as its OpenAPI document says (issue 13)', () => {
  let database: TestDatabase;
  let host: TestHost;
  let operations: Operation[];
  let run: FuzzRun;
  let found: Findings;

  const call = (token: string, method: string, path: string, body?: unknown) => http(host.baseUrl, method, path, body, bearer(token));
  const made = async (token: string, path: string, body: unknown) => {
    const answer = await call(token, 'POST', path, body);
    if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: ALL_SERVICES, transport: 'in-process', databaseUrl: database.url });
    const { st } = await fetchSchemathesis();
    const document = (await http(host.baseUrl, 'GET', '/api/docs-json')).body;
    operations = Object.entries(document.paths as Record<string, Record<string, { 'x-permission'?: string }>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, permission: operation['x-permission'] ?? 'public' })),
    );
    const { fixtures, renewTokens } = await buildFixtures();
    // Access tokens live five minutes: signed in again just before the run, they outlive it.
    const tokens = await renewTokens();
    const reportDir = mkdtempSync(join(tmpdir(), 'api-fuzz-'));
    run = await runSchemathesis(st, `${host.baseUrl}/api/docs-json`, host.baseUrl, fuzzConfig(fixtures, tokens), reportDir);
    found = findings(run);
  }, (MAX_SECONDS + 240) * 1000);

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  /** Organisations by the admin, the rest by their owners, as route-ownership builds them. */
  async function buildFixtures() {
    const admin = await adminToken(host.baseUrl);
    const bureau = (await made(admin, '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' })).id as string;
    const register = async (path: string, name: string, extra: object) => {
      const body = { ...organisation(name, '430200'), ...extra };
      return { id: (await made(admin, path, body)).id as string, creditCode: body.creditCode };
    };
    const provider = await register('/api/v1/providers', '株洲新希望焊接培训学校', {});
    const evaluator = await register('/api/v1/evaluators', '湖南省焊接协会株洲分会', { kind: 'social_organisation' });
    const employer = await register('/api/v1/employers', '株洲中车时代电气', { industryCode: 'C37' });
    // Identity learns organisations (kinds, regions) from their services' events before their users sign in.
    await waitFor(async () => {
      const listed = (await http(host.baseUrl, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
      return [bureau, provider.id, evaluator.id, employer.id].every((id) => listed.includes(id)) || undefined;
    }, { description: 'the organisations to reach identity' });
    const staff = (role: Role, organisationId: string, orgAdmin = true) => signInAs(host.baseUrl, { role, organisationId, orgAdmin });
    const users = { bureau: await staff('bureau_officer', bureau), school: await staff('school_staff', provider.id), evaluator: await staff('evaluator_staff', evaluator.id), employer: await staff('employer_staff', employer.id) };
    const school = users.school.token;

    const trainee = (await made(school, '/api/v1/trainees', person('李铆焊'))).id as string;
    const erasing = (await made(school, '/api/v1/trainees', person('王新'))).id as string;
    // Registered and nothing else, so that a void is not refused for an enrolment that refers to them.
    const voiding = (await made(school, '/api/v1/trainees', person('赵·阿依'))).id as string;
    const trainees = { trainee: await signInAs(host.baseUrl, { role: 'trainee', traineeId: trainee }), erasing: await signInAs(host.baseUrl, { role: 'trainee', traineeId: erasing }) };
    const course = (await made(school, '/api/v1/courses', { providerId: provider.id, title: '焊工（中级）', occupationCode: WELDER, kind: 'skill', capacity: 30, startDate: '2021-03-01', endDate: '2021-06-30' })).id as string;
    await made(school, `/api/v1/courses/${course}/enrollments`, { traineeId: trainee, enrolledOn: '2021-03-02' });
    await made(school, `/api/v1/courses/${course}/assessments`, { traineeId: trainee, passed: true, score: 88, assessedOn: '2021-06-20' });
    // Enrolled with a result of their own, for the enrolment void to take away without the trainee's.
    const misenrolled = (await made(school, '/api/v1/trainees', person('钱错报'))).id as string;
    const misenrolment = (await made(school, `/api/v1/courses/${course}/enrollments`, { traineeId: misenrolled, enrolledOn: '2021-03-02' })).enrollmentId as string;
    await made(school, `/api/v1/courses/${course}/assessments`, { traineeId: misenrolled, passed: false, score: 40, assessedOn: '2021-06-20' });
    const certificate = (await made(users.evaluator.token, '/api/v1/certifications', { traineeId: trainee, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: evaluator.id, certifiedOn: '2021-07-01' }))
      .certificateNumber as string;
    // Another occupation's certificate, for the void to take away without the others' certificate.
    const voidable = (await made(users.evaluator.token, '/api/v1/certifications', { traineeId: trainee, occupationCode: '6-31-01-03', level: 'junior', route: 'assessment', evaluatorId: evaluator.id, certifiedOn: '2021-07-01' }))
      .certificateNumber as string;
    const placement = (await made(users.employer.token, '/api/v1/placements', { employerId: employer.id, title: '铆焊工', occupationCode: WELDER, openings: 5, wageMin: 6000, wageMax: 9000, regionCode: '430200' })).id as string;
    const employment = (await made(users.employer.token, `/api/v1/placements/${placement}/hires`, { traineeId: trainee, startDate: '2021-08-01', monthlyWage: 8000 })).employmentId as string;
    // Another person's hire, for the void to take away without the trainee's employment.
    const mishiredPerson = (await made(school, '/api/v1/trainees', person('孙错录'))).id as string;
    const mishired = (await made(users.employer.token, `/api/v1/placements/${placement}/hires`, { traineeId: mishiredPerson, startDate: '2021-08-01', monthlyWage: 8000 })).employmentId as string;
    const user = async () => (await made(school, '/api/v1/users', { username: `fuzz.${serial++}`, password: 'pw-fuzz-0000', role: 'school_staff', organisationId: provider.id })).id as string;
    const [doomedUser, forgetfulUser] = [await user(), await user()];
    const clerk = await staff('school_staff', provider.id, false);
    const login = { username: `fuzz.login.${serial++}`, password: 'pw-fuzz-login-0000' };
    await made(school, '/api/v1/users', { ...login, role: 'school_staff', organisationId: provider.id });
    const apiKey = (await made(school, '/api/v1/api-keys', { name: '学籍导入' })).clientId as string;
    const brand = (
      await made(users.bureau.token, '/api/v1/brands', {
        bureauId: bureau,
        name: '株洲新希望铆焊工',
        tier: 'city',
        industryCode: 'C37',
        occupationCodes: [WELDER],
        buildingUnits: [provider.creditCode, employer.creditCode],
        policy: { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 0, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false },
      })
    ).id as string;
    // The evaluator and the employer become related to the trainee when their facts reach the archive.
    await waitFor(async () => {
      const kinds = ((await call(admin, 'GET', `/api/v1/trainees/${trainee}/archive`)).body?.entries ?? []).map((entry: { kind: string }) => entry.kind);
      return ['enrolled', 'assessed', 'certified', 'hired'].every((kind) => kinds.includes(kind)) || undefined;
    }, { description: "the trainee's archive to hold the enrolment, result, certificate and hire" });

    const fixtures: Record<Fixture, string[]> = {
      bureau: [bureau],
      provider: [provider.id],
      evaluator: [evaluator.id],
      employer: [employer.id],
      trainee: [trainee],
      erasing: [erasing],
      voiding: [voiding],
      course: [course],
      certificate: [certificate],
      voidable: [voidable],
      misenrolled: [misenrolled],
      misenrolment: [misenrolment],
      placement: [placement],
      employment: [employment],
      mishired: [mishired],
      brand: [brand],
      clerk: [clerk.userId],
      doomedUser: [doomedUser],
      forgetfulUser: [forgetfulUser],
      apiKey: [apiKey],
      grantType: ['password'],
      loginName: [login.username],
      loginPassword: [login.password],
      region: ['430200', '430211', '430281'],
      tier: ['city'],
      service: ['placement'],
      projection: ['placement-board'],
    };
    const renewTokens = async (): Promise<Record<Actor, string>> => ({
      admin: await adminToken(host.baseUrl),
      ...(Object.fromEntries(await Promise.all(Object.entries({ ...users, clerk, ...trainees }).map(async ([actor, signedIn]) => [actor, await signedIn.renew()]))) as Record<Exclude<Actor, 'admin'>, string>),
    });
    return { fixtures, renewTokens };
  }

  function callerOf(operation: Operation): Caller {
    if (Object.hasOwn(CALLERS, operation.key)) return CALLERS[operation.key];
    const holders = (PERMISSIONS[operation.permission as keyof typeof PERMISSIONS] ?? []) as readonly Role[];
    return { as: FALLBACK.find((actor) => holders.includes(ACTORS[actor])) };
  }

  function fuzzConfig(fixtures: Record<Fixture, string[]>, tokens: Record<Actor, string>): FuzzConfig {
    const bind = (fixture: Fixture): Binding => ({ dictionary: fixture, probability: PROBABILITY });
    const perOperation = operations.map((operation): OperationConfig => {
      const caller = callerOf(operation);
      return {
        method: operation.method,
        path: operation.path,
        headers: caller.as ? bearer(tokens[caller.as]) : {},
        parameters: Object.fromEntries([
          ...Object.entries(caller.path ?? {}).map(([name, fixture]) => [`path.${name}`, bind(fixture)]),
          ...Object.entries(caller.body ?? {}).map(([name, fixture]) => [`body.${name}`, bind(fixture)]),
        ]),
      };
    });
    return {
      maxSeconds: MAX_SECONDS,
      workers: WORKERS,
      checks: CHECKS,
      dictionaries: fixtures,
      parameters: Object.fromEntries(Object.entries(BODY_AND_QUERY).map(([parameter, fixture]) => [parameter, bind(fixture)])),
      operations: perOperation,
    };
  }

  it('has a caller for every operation of the document, and no row for an operation it lacks', () => {
    const keys = new Set(operations.map((operation) => operation.key));
    expect({ withoutARow: operations.map((operation) => operation.key).filter((key) => !Object.hasOwn(CALLERS, key)), rowsWithoutAnOperation: Object.keys(CALLERS).filter((key) => !keys.has(key)) }).toEqual({
      withoutARow: [],
      rowsWithoutAnOperation: [],
    });
  });

  it('runs schemathesis over every operation', () => {
    const untested = operations.map((operation) => operation.key).filter((key) => !found.statuses.has(key));
    expect({ exitCode: run.exitCode === 0 || found.failures.length > 0 ? 'ran' : `st exited ${run.exitCode}:\n${run.output.slice(-4000)}`, untested }).toEqual({ exitCode: 'ran', untested: [] });
  });

  it('gets every operation answers other than 401 and 403: each is called as a user who may', () => {
    const onlyRefused = [...found.statuses].filter(([, statuses]) => [...statuses].every((status) => status === 401 || status === 403)).map(([key, statuses]) => `${key}: ${[...statuses].join(', ')}`);
    expect(onlyRefused).toEqual([]);
  });

  it('finds no server error, no undeclared status and no body off its schema', () => {
    const lines = found.failures
      .sort((a, b) => a.operation.localeCompare(b.operation) || a.check.localeCompare(b.check))
      .map((failure) => `${failure.operation}: ${failure.check} (${failure.status ?? 'no answer'}) ${failure.title}${failure.curl ? `\n    ${failure.curl}` : ''}`);
    // The reports (events.ndjson, junit.xml) and the config hold every request, for a closer look.
    expect({ reports: run.reportDir, failures: lines }).toEqual({ reports: run.reportDir, failures: [] });
  });
});
