// For which organisation or trainee a caller may use each route (domain.md section 9), on real fixtures
// built through the API: one row per route that names a permission. A row calls its route as the owner
// (the right role of the right organisation, the trainee themself, or the platform admin) and expects
// the normal answer; then as every role that holds the permission but acts for another organisation or
// another trainee, and expects a 403 naming the permission, or a 404 where the caller may not even see
// the trainee (api.md: "a trainee the caller may not see: 404"). A route added without a row fails here.
// Which roles may call a route at all (401 without a token, 403 by role) is route-permissions' part.
import { randomUUID } from 'node:crypto';
import { PERMISSIONS } from '@skills/service-runtime';
import { adminToken, bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost, testCreditCode, testIdentityNumber, waitFor } from '@skills/testing';
import { Role } from '@skills/contracts';
import { Secret, TOTP } from 'otpauth';
import { ALL_SERVICES, DeclaredRoute, declaredRoutes, sorted } from './declared-routes';

const WELDER = '6-18-02-04';
/** A policy every brand meets, even with no facts: the rows are about who decides, not on what. */
const ANY_BRAND_QUALIFIES = { windowStart: '2020-11-01', windowEnd: '2021-09-30', minTrained: 0, minPassRate: 0, minEmploymentRate: 0, requiresEthicsTraining: false };

/**
 * Who calls. Staff users are their organisation's administrator (orgAdmin), so a refusal for another
 * organisation is about the organisation, not about administering; `clerk` is staff of the provider
 * without it. The Zhuzhou bureau (430200) contains the provider, evaluator, employer and brand; the
 * Changsha bureau (430100) and the "other" organisations contain or are none of them.
 */
const ACTORS = {
  admin: 'platform_admin',
  zhuzhou: 'bureau_officer',
  changsha: 'bureau_officer',
  school: 'school_staff',
  clerk: 'school_staff',
  otherSchool: 'school_staff',
  evaluator: 'evaluator_staff',
  otherEvaluator: 'evaluator_staff',
  employer: 'employer_staff',
  otherEmployer: 'employer_staff',
  trainee: 'trainee',
  otherTrainee: 'trainee',
} as const satisfies Record<string, Role>;
type Actor = keyof typeof ACTORS;

interface Organisation {
  id: string;
  creditCode: string;
}

/** What the rows act on, all made through the API in beforeAll. */
interface Fixtures {
  bureaus: { zhuzhou: string; changsha: string };
  provider: Organisation;
  evaluator: Organisation;
  employer: Organisation;
  /** Registered by the provider, enrolled and assessed in its course, certified by the evaluator, hired by the employer. */
  trainee: { id: string; name: string; idNumber: string };
  /** Registered by the provider, and nothing else yet (the rows enrol, certify and hire them). */
  secondTrainee: string;
  /** Registered by the provider, without an account of their own (the other two have one): issued a code. */
  accountless: string;
  course: string;
  certificate: string;
  placement: string;
  employment: string;
  brand: string;
  /** The clerk's user id, and the password it signs in with. */
  clerk: string;
  clerkPassword: string;
  /** Users of the provider that the rows disable and give a new password (nobody signs in as them). */
  doomedUser: string;
  forgetfulUser: string;
  /** An API key of the clerk's. */
  apiKey: string;
  /** An import job of the provider (one trainees row, not run). */
  importJob: string;
}

interface Request {
  path: string;
  body?: unknown;
}

interface Row {
  /** The request on the fixtures; `earlier(route)` is what the owner's call of an earlier row answered. */
  call(fixtures: Fixtures, earlier: (route: string) => Record<string, unknown>): Request;
  owner: Actor;
  /** The owner's answer. */
  status: number;
  /**
   * For every role that holds the permission but platform_admin: callers of that role acting for another
   * organisation or trainee, and their answer. A 403 names the route's permission.
   */
  others: Partial<Record<Actor, 403 | 404>>;
  /** Why nothing the route acts on belongs to an organisation or trainee (so `others` is empty). */
  unowned?: string;
  /** A role whose staff of any organisation may call the route (the owner is one of another organisation), and why: not asked in `others`. */
  openToAnyOf?: { role: Role; why: string };
}

let serial = 0;
const organisation = (name: string, regionCode: string) => ({ name, creditCode: testCreditCode(900 + serial++), regionCode });
const person = () => ({ name: '王新', idNumber: testIdentityNumber(700 + serial++), phone: '13800000001' });
const username = () => `ownership.${serial++}`;
/** Who reads trainees other than their own: each is answered as if the trainee did not exist. */
const STRANGERS = { otherSchool: 404, otherEvaluator: 404, otherEmployer: 404, otherTrainee: 404 } as const;
/** Administrators of organisations that are not the user's (and a bureau whose region does not hold it). */
const OTHER_ADMINISTRATORS = { changsha: 403, otherSchool: 403, otherEvaluator: 403, otherEmployer: 403 } as const;
/** Who may not read the brand: a bureau whose region does not contain it and staff of no building unit. */
const OUTSIDE_THE_BRAND = { changsha: 403, otherSchool: 403, otherEmployer: 403 } as const;

/**
 * One row per route that names a permission, keyed `METHOD /path` as the OpenAPI document spells it. Rows
 * run in this order; a row that ends or erases something acts on its own fixture or comes after the rows
 * that need it (the last section).
 */
const ROWS: Record<string, Row> = {
  // ---- organisations: a bureau registers them in its region -----------------------------------------
  'POST /api/v1/bureaus': { call: () => ({ path: '/api/v1/bureaus', body: { name: '湘潭市人力资源和社会保障局', regionCode: '430300' } }), owner: 'admin', status: 201, others: {} },
  'POST /api/v1/providers': {
    call: () => ({ path: '/api/v1/providers', body: organisation('醴陵陶瓷技工学校', '430281') }),
    owner: 'zhuzhou',
    status: 201,
    others: { changsha: 403 },
  },
  'POST /api/v1/evaluators': {
    call: () => ({ path: '/api/v1/evaluators', body: { ...organisation('株洲市焊接协会', '430200'), kind: 'social_organisation' } }),
    owner: 'zhuzhou',
    status: 201,
    others: { changsha: 403 },
  },
  'POST /api/v1/employers': {
    call: () => ({ path: '/api/v1/employers', body: { ...organisation('株洲轨道装备有限公司', '430211'), industryCode: 'C37' } }),
    owner: 'zhuzhou',
    status: 201,
    others: { changsha: 403 },
  },

  // ---- identity --------------------------------------------------------------------------------------
  'GET /api/v1/me': { call: () => ({ path: '/api/v1/me' }), owner: 'trainee', status: 200, others: {}, unowned: 'every caller reads only itself' },
  'GET /api/v1/me/preferences': { call: () => ({ path: '/api/v1/me/preferences' }), owner: 'trainee', status: 200, others: {}, unowned: 'every caller reads only its own preferences' },
  'PUT /api/v1/me/preferences': {
    call: () => ({ path: '/api/v1/me/preferences', body: { locale: 'en', elderMode: true } }),
    owner: 'trainee',
    status: 200,
    others: {},
    unowned: 'every caller changes only its own preferences (the route names no user)',
  },
  'POST /api/v1/users': {
    call: (f) => ({ path: '/api/v1/users', body: { username: username(), password: 'pw-ownership-1', role: 'school_staff', organisationId: f.provider.id } }),
    owner: 'school',
    status: 201,
    others: OTHER_ADMINISTRATORS,
  },
  'POST /api/v1/api-keys': { call: () => ({ path: '/api/v1/api-keys', body: { name: '夜间导入' } }), owner: 'evaluator', status: 201, others: {}, unowned: 'a key is its creator’s own' },
  'GET /api/v1/users': {
    call: (f) => ({ path: `/api/v1/users?organisationId=${f.provider.id}` }),
    owner: 'school',
    status: 200,
    // The provider's own staff who do not administer it, too.
    others: { clerk: 403, ...OTHER_ADMINISTRATORS },
  },
  'GET /api/v1/api-keys': { call: () => ({ path: '/api/v1/api-keys' }), owner: 'evaluator', status: 200, others: {}, unowned: "every caller lists its own keys (an administrator also its organisation's)" },
  'POST /api/v1/users/{id}/totp': {
    // A signed-in token enrols with the user's password again (a stolen token must not lock the owner out).
    call: (f) => ({ path: `/api/v1/users/${f.clerk}/totp`, body: { currentPassword: f.clerkPassword } }),
    owner: 'clerk',
    status: 201,
    others: OTHER_ADMINISTRATORS,
  },
  'POST /api/v1/users/{id}/totp/confirm': {
    // The code of the secret the enrolment above answered, valid now.
    call: (f, earlier) => ({ path: `/api/v1/users/${f.clerk}/totp/confirm`, body: { code: new TOTP({ secret: Secret.fromBase32(earlier('POST /api/v1/users/{id}/totp').secret as string) }).generate() } }),
    owner: 'clerk',
    status: 200,
    others: OTHER_ADMINISTRATORS,
  },
  // The second factor the rows above confirmed, reset by a platform admin (the only role that may).
  'DELETE /api/v1/users/{id}/totp': { call: (f) => ({ path: `/api/v1/users/${f.clerk}/totp` }), owner: 'admin', status: 200, others: {}, unowned: 'a platform admin resets any user’s second factor' },
  'GET /api/v1/audit': {
    call: (f) => ({ path: `/api/v1/audit?organisationId=${f.provider.id}` }),
    owner: 'admin',
    status: 200,
    // The provider's own staff who do not administer it, too.
    others: { clerk: 403, ...OTHER_ADMINISTRATORS },
  },

  // ---- trainees: staff of a related organisation, the trainee, the platform admin --------------------
  'POST /api/v1/trainees': { call: () => ({ path: '/api/v1/trainees', body: person() }), owner: 'employer', status: 201, others: {}, unowned: 'registering relates the trainee to the caller; nobody owns them before' },
  'POST /api/v1/trainees/lookup': {
    call: (f) => ({ path: '/api/v1/trainees/lookup', body: { idNumber: f.trainee.idNumber, name: f.trainee.name } }),
    owner: 'otherEmployer',
    status: 200,
    others: {},
    unowned: 'how staff find a person they have no relation to yet',
  },
  'GET /api/v1/trainees': {
    call: (f) => ({ path: `/api/v1/trainees?q=${encodeURIComponent(f.trainee.name)}` }),
    owner: 'school',
    status: 200,
    others: {},
    unowned: 'a search answers every caller, each only the trainees it may see in full (trainee-search.int-spec.ts proves who sees whom)',
  },
  'POST /api/v1/trainees/search': {
    call: (f) => ({ path: '/api/v1/trainees/search', body: { q: f.trainee.name } }),
    owner: 'school',
    status: 200,
    others: {},
    unowned: 'as GET /api/v1/trainees, the question in the body',
  },
  'GET /api/v1/trainees/{id}': { call: (f) => ({ path: `/api/v1/trainees/${f.trainee.id}` }), owner: 'school', status: 200, others: STRANGERS },
  'GET /api/v1/trainees/{id}/archive': { call: (f) => ({ path: `/api/v1/trainees/${f.trainee.id}/archive` }), owner: 'employer', status: 200, others: STRANGERS },
  // Imports: a job is its organisation's alone (others: 404, as if it did not exist).
  'POST /api/v1/imports': {
    call: () => ({ path: '/api/v1/imports', body: { kind: 'trainees' } }),
    owner: 'school',
    // A JSON body (all this table sends) is refused as the wrong media type: an upload is multipart.
    status: 415,
    others: {},
    unowned: "a job's rows are for the caller's own organisation; a course of another provider is refused 403 courses:enrol (imports.e2e-spec)",
  },
  'GET /api/v1/imports': { call: (f) => ({ path: `/api/v1/imports?organisationId=${f.provider.id}` }), owner: 'school', status: 200, others: { otherSchool: 403, evaluator: 403, employer: 403 } },
  'GET /api/v1/imports/{id}': { call: (f) => ({ path: `/api/v1/imports/${f.importJob}` }), owner: 'school', status: 200, others: { otherSchool: 404, evaluator: 404, employer: 404 } },
  'GET /api/v1/imports/{id}/errors': { call: (f) => ({ path: `/api/v1/imports/${f.importJob}/errors` }), owner: 'school', status: 200, others: { otherSchool: 404, evaluator: 404, employer: 404 } },
  'POST /api/v1/imports/{id}/run': { call: (f) => ({ path: `/api/v1/imports/${f.importJob}/run` }), owner: 'school', status: 202, others: { otherSchool: 404, evaluator: 404, employer: 404 } },
  'GET /api/v1/trainees/{id}/archive/pdf': { call: (f) => ({ path: `/api/v1/trainees/${f.trainee.id}/archive/pdf` }), owner: 'employer', status: 200, others: STRANGERS },
  'GET /api/v1/trainees/{id}/certificates/{number}/pdf': { call: (f) => ({ path: `/api/v1/trainees/${f.trainee.id}/certificates/${f.certificate}/pdf` }), owner: 'employer', status: 200, others: STRANGERS },
  // For a trainee without an account (the others have one, and a code is refused them: 409 trainee_has_user).
  'POST /api/v1/trainees/{id}/activation-codes': {
    call: (f) => ({ path: `/api/v1/trainees/${f.accountless}/activation-codes` }),
    owner: 'school',
    status: 201,
    others: { otherSchool: 404, otherEvaluator: 404, otherEmployer: 404 },
  },
  // The registering school corrects; strangers do not see the trainee (404); evaluators' role does not hold the permission.
  'PATCH /api/v1/trainees/{id}': {
    call: (f) => ({ path: `/api/v1/trainees/${f.trainee.id}`, body: { phone: '13900000009' } }),
    owner: 'school',
    status: 200,
    others: { otherSchool: 404, otherEmployer: 404, otherTrainee: 404 },
  },
  // The trainee is enrolled by now: the registering school is answered with the rule, strangers as for a read.
  'POST /api/v1/trainees/{id}/void': {
    call: (f) => ({ path: `/api/v1/trainees/${f.trainee.id}/void`, body: { reason: 'registered in error' } }),
    owner: 'school',
    status: 409,
    others: { otherSchool: 404, otherEmployer: 404 },
  },

  // ---- training: the course's provider; a bureau of its region reads ---------------------------------
  'POST /api/v1/courses': {
    call: (f) => ({ path: '/api/v1/courses', body: { providerId: f.provider.id, title: '焊工（高级）', occupationCode: WELDER, kind: 'skill', capacity: 30, startDate: '2021-09-01', endDate: '2021-12-31' } }),
    owner: 'school',
    status: 201,
    others: { otherSchool: 403 },
  },
  // The course the row above scheduled, corrected by its school (the permission scheduling uses).
  'PATCH /api/v1/courses/{id}': {
    call: (f, earlier) => ({ path: `/api/v1/courses/${earlier('POST /api/v1/courses').id}`, body: { title: '焊工（高级）培训班', endDate: '2022-01-15', reason: '录入时结束日期填错' } }),
    owner: 'school',
    status: 200,
    others: { otherSchool: 403 },
  },
  'GET /api/v1/courses/{id}': { call: (f) => ({ path: `/api/v1/courses/${f.course}` }), owner: 'school', status: 200, others: { otherSchool: 403, changsha: 403 } },
  'GET /api/v1/courses': { call: (f) => ({ path: `/api/v1/courses?providerId=${f.provider.id}` }), owner: 'school', status: 200, others: { otherSchool: 403, changsha: 403 } },
  'GET /api/v1/courses/{id}/enrollments': { call: (f) => ({ path: `/api/v1/courses/${f.course}/enrollments` }), owner: 'school', status: 200, others: { otherSchool: 403, changsha: 403 } },
  'POST /api/v1/courses/{id}/enrollments': {
    call: (f) => ({ path: `/api/v1/courses/${f.course}/enrollments`, body: { traineeId: f.secondTrainee, enrolledOn: '2021-03-05' } }),
    owner: 'school',
    status: 201,
    others: { otherSchool: 403 },
  },
  'POST /api/v1/courses/{id}/assessments': {
    call: (f) => ({ path: `/api/v1/courses/${f.course}/assessments`, body: { traineeId: f.trainee.id, passed: true, score: 90, assessedOn: '2021-06-25' } }),
    owner: 'school',
    status: 201,
    others: { otherSchool: 403 },
  },

  // ---- certification: the evaluator; ladders like archives; the distribution of a bureau's region ---
  'POST /api/v1/certifications': {
    call: (f) => ({ path: '/api/v1/certifications', body: { traineeId: f.secondTrainee, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: f.evaluator.id, certifiedOn: '2021-07-01' } }),
    owner: 'evaluator',
    status: 201,
    others: { otherEvaluator: 403 },
  },
  // The evaluator as registered (its kind): another evaluator's staff and a bureau outside its region are answered as for none.
  'GET /api/v1/evaluators/{id}': { call: (f) => ({ path: `/api/v1/evaluators/${f.evaluator.id}` }), owner: 'evaluator', status: 200, others: { otherEvaluator: 403, changsha: 403 } },
  // The evaluator's administrator rotates its key; another evaluator's is refused.
  'POST /api/v1/evaluators/{id}/signing-keys': { call: (f) => ({ path: `/api/v1/evaluators/${f.evaluator.id}/signing-keys` }), owner: 'evaluator', status: 201, others: { otherEvaluator: 403 } },
  'GET /api/v1/ladder/trainees/{traineeId}': {
    call: (f) => ({ path: `/api/v1/ladder/trainees/${f.trainee.id}` }),
    owner: 'otherEvaluator',
    status: 200,
    others: { otherSchool: 404, otherEmployer: 404, otherTrainee: 404 },
    openToAnyOf: { role: 'evaluator_staff', why: 'an evaluator judges the next level of someone it found through the audited lookup; the ladder holds no personal data' },
  },
  'GET /api/v1/certificates': {
    call: (f) => ({ path: `/api/v1/certificates?evaluatorId=${f.evaluator.id}&traineeId=${f.trainee.id}` }),
    owner: 'evaluator',
    status: 200,
    others: { otherEvaluator: 403, otherTrainee: 404 },
  },
  'GET /api/v1/ladder/distribution': { call: () => ({ path: `/api/v1/ladder/distribution?occupationCode=${WELDER}&regionCode=430200` }), owner: 'zhuzhou', status: 200, others: { changsha: 403 } },
  // Statistics: a bureau its region; a school its own outcomes, and the bureau of its region.
  'GET /api/v1/statistics/regions/{regionCode}': { call: () => ({ path: '/api/v1/statistics/regions/430200?period=2021' }), owner: 'zhuzhou', status: 200, others: { changsha: 403 } },
  'GET /api/v1/statistics/providers/{id}/outcomes': {
    call: (f) => ({ path: `/api/v1/statistics/providers/${f.provider.id}/outcomes?period=2021` }),
    owner: 'school',
    status: 200,
    others: { otherSchool: 403, changsha: 403 },
  },

  // ---- placements: the employer ----------------------------------------------------------------------
  'POST /api/v1/placements': {
    call: (f) => ({ path: '/api/v1/placements', body: { employerId: f.employer.id, title: '电焊工', occupationCode: WELDER, openings: 3, wageMin: 6000, wageMax: 9000, regionCode: '430200' } }),
    owner: 'employer',
    status: 201,
    others: { otherEmployer: 403 },
  },
  'POST /api/v1/placements/{id}/hires': {
    call: (f) => ({ path: `/api/v1/placements/${f.placement}/hires`, body: { traineeId: f.secondTrainee, startDate: '2021-08-01', monthlyWage: 8000 } }),
    owner: 'employer',
    status: 201,
    others: { otherEmployer: 403 },
  },

  // ---- labour brands: a bureau whose region contains the brand; readers also its building units ------
  'POST /api/v1/brands': {
    call: (f) => ({ path: '/api/v1/brands', body: brandBody(f) }),
    owner: 'zhuzhou',
    status: 201,
    others: { changsha: 403 },
  },
  // The brand the row above registered, corrected by its bureau (the permission registering uses).
  'PATCH /api/v1/brands/{id}': {
    call: (f, earlier) => ({ path: `/api/v1/brands/${earlier('POST /api/v1/brands').id}`, body: { name: `株洲新希望铆焊工更正${randomUUID().slice(0, 8)}`, industryCode: 'C34', reason: '登记时品牌名称录入错误' } }),
    owner: 'zhuzhou',
    status: 200,
    others: { changsha: 403 },
  },
  // The provider is one of the brand's building units.
  'GET /api/v1/brands/{id}': { call: (f) => ({ path: `/api/v1/brands/${f.brand}` }), owner: 'school', status: 200, others: OUTSIDE_THE_BRAND },
  'GET /api/v1/brands/{id}/qualification': { call: (f) => ({ path: `/api/v1/brands/${f.brand}/qualification?asOf=2021-09-30` }), owner: 'zhuzhou', status: 200, others: OUTSIDE_THE_BRAND },
  'GET /api/v1/brands/{id}/qualification/series': { call: (f) => ({ path: `/api/v1/brands/${f.brand}/qualification/series` }), owner: 'zhuzhou', status: 200, others: OUTSIDE_THE_BRAND },
  // Staff of other organisations are answered the brands they build (none here), not refused.
  'GET /api/v1/brands': {
    call: () => ({ path: '/api/v1/brands?regionCode=430200' }),
    owner: 'zhuzhou',
    status: 200,
    others: { changsha: 403 },
    unowned: 'a list shows each caller only the brands it may read: staff those they build; a bureau asking for a region outside its own is refused',
  },
  'POST /api/v1/brands/{id}/certifications': {
    call: (f) => ({ path: `/api/v1/brands/${f.brand}/certifications`, body: { tier: 'city', decidedOn: '2021-10-15' } }),
    owner: 'zhuzhou',
    status: 201,
    others: { changsha: 403 },
  },

  // ---- operators -------------------------------------------------------------------------------------
  'GET /admin/projections': { call: () => ({ path: '/admin/projections' }), owner: 'admin', status: 200, others: {} },
  'POST /admin/projections/{service}/{projection}/rebuild': { call: () => ({ path: '/admin/projections/placement/placement-board/rebuild' }), owner: 'admin', status: 202, others: {} },
  'POST /admin/projections/{service}/{projection}/parked/retry': { call: () => ({ path: '/admin/projections/placement/placement-board/parked/retry' }), owner: 'admin', status: 200, others: {} },
  'GET /admin/dead-letters': { call: () => ({ path: '/admin/dead-letters' }), owner: 'admin', status: 200, others: {} },
  // No consumer of the run fails, so there is no letter to retry: the admin is answered that there is none.
  'POST /admin/dead-letters/{service}/{letter}/retry': { call: () => ({ path: '/admin/dead-letters/placement/1/retry' }), owner: 'admin', status: 404, others: {} },
  'POST /admin/brands/{id}/figures/rebuild': { call: (f) => ({ path: `/admin/brands/${f.brand}/figures/rebuild` }), owner: 'admin', status: 200, others: {} },
  'GET /metrics': { call: () => ({ path: '/metrics' }), owner: 'admin', status: 200, others: {} },

  // ---- last: calls that end, revoke or erase something ----------------------------------------------
  'DELETE /api/v1/api-keys/{clientId}': { call: (f) => ({ path: `/api/v1/api-keys/${f.apiKey}` }), owner: 'school', status: 204, others: OTHER_ADMINISTRATORS },
  'POST /api/v1/users/{id}/password': {
    call: (f) => ({ path: `/api/v1/users/${f.forgetfulUser}/password`, body: { password: 'pw-ownership-2' } }),
    owner: 'school',
    status: 200,
    others: { ...OTHER_ADMINISTRATORS, otherTrainee: 403 },
  },
  'POST /api/v1/users/{id}/disable': { call: (f) => ({ path: `/api/v1/users/${f.doomedUser}/disable` }), owner: 'school', status: 200, others: OTHER_ADMINISTRATORS },
  // The enrolment the row above made.
  'DELETE /api/v1/courses/{id}/enrollments/{traineeId}': {
    call: (f) => ({ path: `/api/v1/courses/${f.course}/enrollments/${f.secondTrainee}?withdrawnOn=2021-04-01` }),
    owner: 'school',
    status: 204,
    others: { otherSchool: 403 },
  },
  // The enrolment the row above withdrew: one withdrawn may be voided too.
  'POST /api/v1/courses/{id}/enrollments/{traineeId}/void': {
    call: (f, earlier) => ({
      path: `/api/v1/courses/${f.course}/enrollments/${f.secondTrainee}/void`,
      body: { reason: '报名时选错了学员', enrollmentId: earlier('POST /api/v1/courses/{id}/enrollments').enrollmentId },
    }),
    owner: 'school',
    status: 200,
    others: { otherSchool: 403 },
  },
  'POST /api/v1/certificates/{number}/revocation': {
    call: (f) => ({ path: `/api/v1/certificates/${f.certificate}/revocation`, body: { reason: '材料造假' } }),
    owner: 'evaluator',
    status: 200,
    others: { otherEvaluator: 403 },
  },
  // The certificate the row above revoked: one revoked may be voided too.
  'POST /api/v1/certificates/{number}/void': {
    call: (f) => ({ path: `/api/v1/certificates/${f.certificate}/void`, body: { reason: '导入时填错了等级' } }),
    owner: 'evaluator',
    status: 200,
    others: { otherEvaluator: 403 },
  },
  'POST /api/v1/employments/{id}/end': {
    call: (f) => ({ path: `/api/v1/employments/${f.employment}/end`, body: { endDate: '2022-03-01', reason: '合同期满' } }),
    owner: 'employer',
    status: 200,
    others: { otherEmployer: 403 },
  },
  // The employment the row above ended: one ended may be voided too.
  'POST /api/v1/employments/{id}/void': {
    call: (f) => ({ path: `/api/v1/employments/${f.employment}/void`, body: { reason: '录错了人' } }),
    owner: 'employer',
    status: 200,
    others: { otherEmployer: 403 },
  },
  'GET /api/v1/employments': { call: (f) => ({ path: `/api/v1/employments?employerId=${f.employer.id}` }), owner: 'employer', status: 200, others: { otherEmployer: 403 } },
  'POST /api/v1/placements/{id}/close': { call: (f) => ({ path: `/api/v1/placements/${f.placement}/close` }), owner: 'employer', status: 200, others: { otherEmployer: 403 } },
  // The certification the row above decided.
  'POST /api/v1/brands/{id}/certifications/{tier}/revocation': {
    call: (f) => ({ path: `/api/v1/brands/${f.brand}/certifications/city/revocation`, body: { reason: '复核不达标' } }),
    owner: 'zhuzhou',
    status: 200,
    others: { changsha: 403 },
  },
  // After the lookup: the name it matches is gone.
  'DELETE /api/v1/trainees/{id}/personal-data': { call: (f) => ({ path: `/api/v1/trainees/${f.trainee.id}/personal-data` }), owner: 'trainee', status: 204, others: { otherTrainee: 404 } },
  // Last of all: tokens signed before a rotation are not the rows' concern.
  'POST /admin/identity/signing-keys/rotate': { call: () => ({ path: '/admin/identity/signing-keys/rotate' }), owner: 'admin', status: 200, others: {} },
  'GET /admin/identity/signing-keys': { call: () => ({ path: '/admin/identity/signing-keys' }), owner: 'admin', status: 200, others: {} },
  // A key that is not there: retiring one would end the rows' tokens (the identity suite retires real ones).
  'POST /admin/identity/signing-keys/{kid}/retire': { call: () => ({ path: `/admin/identity/signing-keys/${randomUUID()}/retire` }), owner: 'admin', status: 404, others: {} },
};

/** A brand of a name of its own each time (one name a region). */
let brandsMade = 0;
function brandBody(f: Pick<Fixtures, 'bureaus' | 'provider' | 'employer'>) {
  return {
    bureauId: f.bureaus.zhuzhou,
    name: `株洲新希望铆焊工${++brandsMade}`,
    tier: 'city',
    industryCode: 'C37',
    occupationCodes: [WELDER],
    buildingUnits: [f.provider.creditCode, f.employer.creditCode],
    policy: ANY_BRAND_QUALIFIES,
  };
}

describe('route ownership: every route acts only for its own organisation or trainee (domain.md section 9)', () => {
  let database: TestDatabase;
  let host: TestHost;
  /** The routes that name a permission; and that permission by route. */
  let guarded: DeclaredRoute[];
  let permissionOf: Map<string, string>;
  let tokens: Record<Actor, string>;
  let fixtures: Fixtures;
  /** The owner's answer of each row that has run. */
  const answers = new Map<string, Record<string, unknown>>();

  /** As the caller; a failure to build a fixture names the call and the answer. */
  const call = (as: string, method: string, path: string, body?: unknown) => http(host.baseUrl, method, path, body, bearer(as));
  const made = async (as: string, method: string, path: string, body: unknown) => {
    const answer = await call(as, method, path, body);
    if (answer.status !== 201) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: ALL_SERVICES, transport: 'in-process', databaseUrl: database.url });
    guarded = declaredRoutes(host).filter((route) => route.permission);
    permissionOf = new Map(guarded.map((route) => [route.route, route.permission as string]));
    ({ fixtures, tokens } = await buildFixtures());
  }, 120_000);

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  /** Every fixture through the API: organisations by the platform admin, the rest by their owners. */
  async function buildFixtures(): Promise<{ fixtures: Fixtures; tokens: Record<Actor, string> }> {
    const admin = await adminToken(host.baseUrl);
    const bureau = async (name: string, regionCode: string) => (await made(admin, 'POST', '/api/v1/bureaus', { name, regionCode })).id as string;
    const bureaus = { zhuzhou: await bureau('株洲市人力资源和社会保障局', '430200'), changsha: await bureau('长沙市人力资源和社会保障局', '430100') };
    const register = async (path: string, name: string, regionCode: string, extra: object): Promise<Organisation> => {
      const body = { ...organisation(name, regionCode), ...extra };
      return { id: (await made(admin, 'POST', path, body)).id, creditCode: body.creditCode };
    };
    const provider = await register('/api/v1/providers', '株洲新希望焊接培训学校', '430200', {});
    const otherProvider = await register('/api/v1/providers', '长沙职业技术学院', '430100', {});
    const evaluator = await register('/api/v1/evaluators', '湖南省焊接协会株洲分会', '430200', { kind: 'social_organisation' });
    const otherEvaluator = await register('/api/v1/evaluators', '长沙市技能鉴定中心', '430100', { kind: 'social_organisation' });
    const employer = await register('/api/v1/employers', '株洲中车时代电气', '430200', { industryCode: 'C37' });
    const otherEmployer = await register('/api/v1/employers', '长沙远大住工', '430100', { industryCode: 'C37' });
    const organisations = [bureaus.zhuzhou, bureaus.changsha, provider.id, otherProvider.id, evaluator.id, otherEvaluator.id, employer.id, otherEmployer.id];
    // Identity learns organisations (kinds, regions) from their services' events before their users sign in.
    await waitFor(async () => {
      const listed = (await http(host.baseUrl, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
      return organisations.every((id) => listed.includes(id)) || undefined;
    }, { description: 'the organisations to reach identity' });

    const staff = (role: Role, organisationId: string, orgAdmin = true) => signInAs(host.baseUrl, { role, organisationId, orgAdmin });
    const signedIn: Partial<Record<Actor, { token: string; userId: string; password: string }>> = {
      zhuzhou: await staff('bureau_officer', bureaus.zhuzhou),
      changsha: await staff('bureau_officer', bureaus.changsha),
      school: await staff('school_staff', provider.id),
      clerk: await staff('school_staff', provider.id, false),
      otherSchool: await staff('school_staff', otherProvider.id),
      evaluator: await staff('evaluator_staff', evaluator.id),
      otherEvaluator: await staff('evaluator_staff', otherEvaluator.id),
      employer: await staff('employer_staff', employer.id),
      otherEmployer: await staff('employer_staff', otherEmployer.id),
    };
    const as = (actor: Actor) => (signedIn[actor] as { token: string }).token;

    const trainee = { ...person(), name: '李铆焊' };
    const traineeId = (await made(as('school'), 'POST', '/api/v1/trainees', trainee)).id as string;
    const secondTrainee = (await made(as('school'), 'POST', '/api/v1/trainees', person())).id as string;
    const accountless = (await made(as('school'), 'POST', '/api/v1/trainees', person())).id as string;
    signedIn.trainee = await signInAs(host.baseUrl, { role: 'trainee', traineeId });
    signedIn.otherTrainee = await signInAs(host.baseUrl, { role: 'trainee', traineeId: secondTrainee });

    const course = (
      await made(as('school'), 'POST', '/api/v1/courses', { providerId: provider.id, title: '焊工（中级）', occupationCode: WELDER, kind: 'skill', capacity: 30, startDate: '2021-03-01', endDate: '2021-06-30' })
    ).id as string;
    await made(as('school'), 'POST', `/api/v1/courses/${course}/enrollments`, { traineeId, enrolledOn: '2021-03-02' });
    await made(as('school'), 'POST', `/api/v1/courses/${course}/assessments`, { traineeId, passed: true, score: 88, assessedOn: '2021-06-20' });
    const certificate = (
      await made(as('evaluator'), 'POST', '/api/v1/certifications', { traineeId, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: evaluator.id, certifiedOn: '2021-07-01' })
    ).certificateNumber as string;
    const placement = (
      await made(as('employer'), 'POST', '/api/v1/placements', { employerId: employer.id, title: '铆焊工', occupationCode: WELDER, openings: 5, wageMin: 6000, wageMax: 9000, regionCode: '430200' })
    ).id as string;
    const employment = (await made(as('employer'), 'POST', `/api/v1/placements/${placement}/hires`, { traineeId, startDate: '2021-08-01', monthlyWage: 8000 })).employmentId as string;
    const user = async () => (await made(admin, 'POST', '/api/v1/users', { username: username(), password: 'pw-ownership-0', role: 'school_staff', organisationId: provider.id })).id as string;
    const [doomedUser, forgetfulUser] = [await user(), await user()];
    const apiKey = (await made(as('clerk'), 'POST', '/api/v1/api-keys', { name: '学籍导入' })).clientId as string;

    const brand = (await made(as('zhuzhou'), 'POST', '/api/v1/brands', brandBody({ bureaus, provider, employer }))).id as string;

    // The evaluator and the employer become related to the trainee when their facts reach the archive;
    // the ladder is a read model of its own.
    await waitFor(async () => {
      const kinds = ((await call(admin, 'GET', `/api/v1/trainees/${traineeId}/archive`)).body?.entries ?? []).map((entry: { kind: string }) => entry.kind);
      return ['enrolled', 'assessed', 'certified', 'hired'].every((kind) => kinds.includes(kind)) || undefined;
    }, { description: "the trainee's archive to hold the enrolment, result, certificate and hire" });
    await waitFor(async () => ((await call(admin, 'GET', `/api/v1/ladder/trainees/${traineeId}`)).body?.length > 0) || undefined, { description: "the trainee's ladder" });

    const importForm = new FormData();
    importForm.append('kind', 'trainees');
    importForm.append('file', new Blob([`姓名,身份证号,手机号\r\n导入者,${testIdentityNumber(7790)},13800000000\r\n`]), 'trainees.csv');
    const importJob = ((await (await fetch(`${host.baseUrl}/api/v1/imports`, { method: 'POST', body: importForm, headers: bearer(as('school')) })).json()) as { id: string }).id;

    const fixtures = {
      bureaus,
      provider,
      evaluator,
      employer,
      certificate,
      trainee: { id: traineeId, name: trainee.name, idNumber: trainee.idNumber },
      secondTrainee,
      accountless,
      course,
      placement,
      employment,
      brand,
      clerk: (signedIn.clerk as { userId: string }).userId,
      clerkPassword: (signedIn.clerk as { password: string }).password,
      doomedUser,
      forgetfulUser,
      apiKey,
      importJob,
    };
    const tokens = Object.fromEntries(Object.entries({ ...signedIn, admin: { token: admin } }).map(([actor, user]) => [actor, user.token])) as Record<Actor, string>;
    return { fixtures, tokens };
  }

  it('has exactly one row for every route that names a permission', () => {
    expect({
      routesWithoutARow: sorted(guarded.filter(({ route }) => !Object.hasOwn(ROWS, route)).map(({ route, handler, permission }) => `${route} (${handler}, ${permission})`)),
      rowsWithoutARoute: sorted(Object.keys(ROWS).filter((route) => !permissionOf.has(route))),
    }).toEqual({ routesWithoutARow: [], rowsWithoutARoute: [] });
  });

  it('asks, in every row, the permission’s roles for another organisation or trainee, and only roles that hold it', () => {
    const wrong = Object.entries(ROWS).flatMap(([route, row]) => {
      const permission = permissionOf.get(route);
      if (!permission) return [];
      const holders = PERMISSIONS[permission as keyof typeof PERMISSIONS] as readonly Role[];
      const asked = new Set(Object.keys(row.others).map((actor) => ACTORS[actor as Actor]));
      const unasked = row.unowned ? [] : holders.filter((role) => role !== 'platform_admin' && role !== row.openToAnyOf?.role && !asked.has(role));
      const notHolding = [row.owner, ...Object.keys(row.others)].filter((actor) => !holders.includes(ACTORS[actor as Actor]));
      return [...unasked.map((role) => `${route}: no ${role} of another organisation or trainee`), ...notHolding.map((actor) => `${route}: ${actor} does not hold ${permission}`)];
    });
    expect(wrong).toEqual([]);
  });

  it.each(Object.entries(ROWS))('%s: the owner gets its answer, every other organisation or trainee 403 or 404', async (route, row) => {
    const permission = permissionOf.get(route);
    expect({ route, declared: permission !== undefined }).toEqual({ route, declared: true });
    const method = route.split(' ')[0];
    const earlier = (from: string) => {
      if (!answers.has(from)) throw new Error(`${route} needs the answer of ${from}, which has not run`);
      return answers.get(from) as Record<string, unknown>;
    };
    const wrong: string[] = [];
    // The others first: a write they were wrongly allowed shows here, not as a puzzling answer to the owner.
    for (const [actor, expected] of Object.entries(row.others) as Array<[Actor, 403 | 404]>) {
      const { path, body } = row.call(fixtures, earlier);
      const answer = await call(tokens[actor], method, path, body);
      const named = expected !== 403 || answer.body?.permission === permission;
      if (answer.status !== expected || !named) wrong.push(`as ${actor}: ${answer.status} ${answer.body?.permission ?? answer.body?.rule ?? ''}, not ${expected}${expected === 403 ? ` naming ${permission}` : ''}`);
    }
    const { path, body } = row.call(fixtures, earlier);
    const answer = await call(tokens[row.owner], method, path, body);
    answers.set(route, answer.body);
    if (answer.status !== row.status) wrong.push(`as the owner ${row.owner}: ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}, not ${row.status}`);
    expect(wrong).toEqual([]);
  });
});
