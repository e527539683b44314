import { Role } from '@skills/contracts';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ownAdminPassword } from './own-admin-password';
import { DEMO_BRANDS, demoCreditCode, demoPerson, demoUserPassword, ZHUZHOU_2021_POLICY } from './demo-data';

/** True once every brand's figures count all of its trainees and its ethics course (they follow events). */
export const demoSettled = (brands: DemoSummary['brands']) =>
  brands.every((brand, i) => brand.trained === brand.loadedTrainees && brand.ethicsTrainingHeld === DEMO_BRANDS[i].ethicsCourse);

/** A user the demo creates for one of its organisations (or trainees), with a demo-only password. */
export interface DemoUser {
  username: string;
  password: string;
  role: Role;
  /** The organisation's name (or the trainee's), for the list printed once. */
  actsFor: string;
  organisationId?: string;
  traineeId?: string;
  orgAdmin?: boolean;
}

export interface DemoSummary {
  brands: Array<{ name: string; id: string; qualifies: boolean; trained: number; ethicsTrainingHeld: boolean; unmet: unknown[]; loadedTrainees: number }>;
  trainees: number;
  certificates: string[];
  /** Every demo user, the first admin excepted. */
  users: DemoUser[];
  /** The Zhuzhou bureau's officer, who registered the brands and reads their qualification. */
  reader: DemoUser;
}

/** Trainees of each brand but the first when the others are sampled: enough for their five certificates. */
const DEMO_SAMPLE = 6;

export interface DemoOptions {
  /**
   * Every brand, school, employer and user, but all of 株洲新希望铆焊工's trainees (the brand that
   * qualifies) and only DEMO_SAMPLE of each other brand's: for tests that need the demo's people and one
   * real verdict, not the other brands' figures.
   */
  sampleOtherBrands?: boolean;
}

/** What loading needs to sign in: the first admin's password (ADMIN_PASSWORD or the admin-password file, then named). */
export interface DemoCredentials {
  adminPassword: string;
  /** The file the password was read from: where the demo writes the admin's own, should it be a temporary one (ownAdminPassword). */
  passwordFile?: string;
}

/**
 * The first admin's password: ADMIN_PASSWORD, else the file the platform wrote it to when it generated
 * it (api.md "Identity and access").
 */
export function adminPasswordFrom(env: NodeJS.ProcessEnv, file: string): DemoCredentials {
  if (env.ADMIN_PASSWORD) return { adminPassword: env.ADMIN_PASSWORD };
  try {
    return { adminPassword: readFileSync(file, 'utf8').trim(), passwordFile: file };
  } catch {
    throw new Error(`the demo signs in as admin: set ADMIN_PASSWORD, or keep the generated password in ${file}`);
  }
}

/** An access token for `username`, from POST /oauth/token (password grant). */
export async function signIn(baseUrl: string, username: string, password: string): Promise<{ accessToken: string; expiresIn: number }> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username, password }),
  });
  const answer = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
  if (!response.ok || !answer.access_token) throw new Error(`signing in as ${username} answered ${response.status}: ${JSON.stringify(answer)}`);
  return { accessToken: answer.access_token, expiresIn: answer.expires_in ?? 300 };
}

/**
 * A signed-in user whose access token is renewed (by signing in again) shortly before it expires; timed
 * with the monotonic clock of this process, as a client measures how long its token has left.
 */
class Session {
  private token?: Promise<string>;
  private until = 0;

  constructor(
    private readonly baseUrl: string,
    readonly user: DemoUser,
  ) {}

  bearer(): Promise<string> {
    if (!this.token || performance.now() >= this.until) {
      // Concurrent callers share one sign-in.
      this.until = Number.POSITIVE_INFINITY;
      const token = signIn(this.baseUrl, this.user.username, this.user.password).then(({ accessToken, expiresIn }) => {
        this.until = performance.now() + Math.max(expiresIn - 30, expiresIn / 2) * 1000;
        return accessToken;
      });
      token.catch(() => {
        if (this.token === token) this.token = undefined;
      });
      this.token = token;
    }
    return this.token;
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

/**
 * Loads the demo through the public API of the platform at `baseUrl` (npm start, or the gateway), as
 * the people who would enter it (domain.md section 9): the first admin registers the organisations and
 * creates one user for each (and one for a trainee); the Zhuzhou bureau's officer registers the brands;
 * each school's staff its courses, trainees, enrolments and results; each employer's staff its
 * placement and hires; the evaluator's staff the certificates. Prints the demo users and their
 * demo-only passwords once.
 * Safe to run again: each command repeats under the same Idempotency-Key and changes nothing, and a user
 * that exists already (409 username_taken) is left as it is.
 */
export async function loadDemo(baseUrl: string, log: (line: string) => void, credentials: DemoCredentials, options: DemoOptions = {}): Promise<DemoSummary> {
  const admin = new Session(baseUrl, { username: 'admin', password: await ownAdminPassword(baseUrl, credentials, log), role: 'platform_admin', actsFor: 'the platform' });
  const command = async (as: Session, method: string, path: string, body: unknown, key: string) => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': `demo-2021:${key}`, authorization: `Bearer ${await as.bearer()}` };
    const response = await keyedRequest(() => fetch(`${baseUrl}${path}`, { method, headers, body: JSON.stringify(body) }));
    const answer = response.status === 204 ? {} : await response.json();
    if (!response.ok) throw new Error(`${method} ${path} as ${as.user.username} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer as { id: string; certificateNumber?: string; employmentId?: string };
  };
  const users: DemoUser[] = [];
  /** Creates the user (as the admin) unless it exists, and answers a session of it. */
  const user = async (username: string, role: Role, actsFor: string, link: Pick<DemoUser, 'organisationId' | 'traineeId' | 'orgAdmin'>): Promise<Session> => {
    const demoUser: DemoUser = { username, password: demoUserPassword(username), role, actsFor, ...link };
    const headers = { 'content-type': 'application/json', 'idempotency-key': `demo-2021:user-${username}`, authorization: `Bearer ${await admin.bearer()}` };
    const response = await keyedRequest(() => fetch(`${baseUrl}/api/v1/users`, { method: 'POST', headers, body: JSON.stringify({ username, password: demoUser.password, role, ...link }) }));
    const answer = (await response.json().catch(() => ({}))) as { rule?: string };
    // Created by an earlier load (or by hand): done.
    if (!response.ok && !(response.status === 409 && answer.rule === 'username_taken')) {
      throw new Error(`POST /api/v1/users (${username}) as admin answered ${response.status}: ${JSON.stringify(answer)}`);
    }
    users.push(demoUser);
    return new Session(baseUrl, demoUser);
  };
  // Each organisation's demo user is also its administrator (its users and API keys).
  const staff = { orgAdmin: true };

  const bureau = await command(admin, 'POST', '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' }, 'bureau');
  const officer = await user('demo.bureau.430200', 'bureau_officer', '株洲市人力资源和社会保障局', { organisationId: bureau.id, ...staff });
  const province = await command(admin, 'POST', '/api/v1/bureaus', { name: '湖南省人力资源和社会保障厅', regionCode: '430000' }, 'bureau-430000');
  await user('demo.bureau.430000', 'bureau_officer', '湖南省人力资源和社会保障厅', { organisationId: province.id, ...staff });
  const evaluator = await command(admin, 'POST', '/api/v1/evaluators', { name: '湖南省职业技能鉴定中心', creditCode: demoCreditCode(900), kind: 'social_organisation', regionCode: '430200' }, 'evaluator');
  const assessor = await user('demo.evaluator', 'evaluator_staff', '湖南省职业技能鉴定中心', { organisationId: evaluator.id, ...staff });
  const summary: DemoSummary = { brands: [], trainees: 0, certificates: [], users, reader: officer.user };
  let person = 0;

  for (const [b, brand] of DEMO_BRANDS.entries()) {
    const schoolCode = demoCreditCode(b * 2 + 1);
    const employerCode = demoCreditCode(b * 2 + 2);
    const school = await command(admin, 'POST', '/api/v1/providers', { name: brand.school, creditCode: schoolCode, regionCode: '430200' }, `school-${b}`);
    const teacher = await user(`demo.school.${b + 1}`, 'school_staff', brand.school, { organisationId: school.id, ...staff });
    const employer = await command(admin, 'POST', '/api/v1/employers', { name: brand.employer, creditCode: employerCode, industryCode: brand.industryCode, regionCode: '430200' }, `employer-${b}`);
    const recruiter = await user(`demo.employer.${b + 1}`, 'employer_staff', brand.employer, { organisationId: employer.id, ...staff });
    const registered = await command(
      officer,
      'POST',
      '/api/v1/brands',
      { bureauId: bureau.id, name: brand.name, tier: 'city', industryCode: brand.industryCode, occupationCodes: [brand.occupationCode], buildingUnits: [schoolCode, employerCode], policy: ZHUZHOU_2021_POLICY },
      `brand-${b}`,
    );
    const course = await command(
      teacher,
      'POST',
      '/api/v1/courses',
      { providerId: school.id, title: brand.courseTitle, occupationCode: brand.occupationCode, kind: 'skill', targetLevel: 'junior', capacity: 1000, startDate: '2021-03-01', endDate: '2021-06-30' },
      `course-${b}`,
    );
    const placement = await command(
      recruiter,
      'POST',
      '/api/v1/placements',
      { employerId: employer.id, title: brand.courseTitle, occupationCode: brand.occupationCode, openings: brand.trainees, wageMin: 5000, wageMax: 9000, regionCode: '430200' },
      `placement-${b}`,
    );
    const size = b > 0 && options.sampleOtherBrands ? Math.min(DEMO_SAMPLE, brand.trainees) : brand.trainees;
    const passing = Math.min(brand.passing, size);
    const hired = Math.min(brand.hired, size);
    const people = Array.from({ length: size }, () => person++);
    const trainees = await inBatches(people, 8, async (n, i) => {
      // The school registers its students (and so is related to them), enrols them and records their results.
      const trainee = await command(teacher, 'POST', '/api/v1/trainees', { ...demoPerson(n), categories: n % 3 === 0 ? ['rural_migrant'] : [] }, `trainee-${n}`);
      await command(teacher, 'POST', `/api/v1/courses/${course.id}/enrollments`, { traineeId: trainee.id, enrolledOn: '2021-03-01' }, `enrol-${n}`);
      const passed = i < passing;
      await command(teacher, 'POST', `/api/v1/courses/${course.id}/assessments`, { traineeId: trainee.id, passed, score: passed ? 70 + (n % 30) : 40 + (n % 20), assessedOn: '2021-06-30' }, `assess-${n}`);
      if (i < hired) await command(recruiter, 'POST', `/api/v1/placements/${placement.id}/hires`, { traineeId: trainee.id, startDate: '2021-07-15', monthlyWage: 6000 + (n % 30) * 100 }, `hire-${n}`);
      return trainee.id;
    });
    summary.trainees += trainees.length;
    // The first trainee signs in as themselves (their archive and ladder).
    if (b === 0) await user('demo.trainee', 'trainee', demoPerson(people[0]).name, { traineeId: trainees[0] });
    if (brand.ethicsCourse) {
      const ethics = await command(
        teacher,
        'POST',
        '/api/v1/courses',
        { providerId: school.id, title: '职业道德和法律法规', occupationCode: brand.occupationCode, kind: 'ethics_and_law', capacity: 1000, startDate: '2021-04-01', endDate: '2021-04-01' },
        `ethics-${b}`,
      );
      await command(teacher, 'POST', `/api/v1/courses/${ethics.id}/enrollments`, { traineeId: trainees[0], enrolledOn: '2021-04-01' }, `ethics-enrol-${b}`);
      await command(teacher, 'POST', `/api/v1/courses/${ethics.id}/assessments`, { traineeId: trainees[0], passed: true, score: 90, assessedOn: '2021-04-01' }, `ethics-assess-${b}`);
    }
    // The best five of each brand are certified junior in their occupation.
    for (const [i, traineeId] of trainees.slice(0, 5).entries()) {
      const certificate = await command(
        assessor,
        'POST',
        '/api/v1/certifications',
        { traineeId, occupationCode: brand.occupationCode, level: 'junior', route: 'assessment', evaluatorId: evaluator.id, certifiedOn: '2021-07-01' },
        `certify-${b}-${i}`,
      );
      if (certificate.certificateNumber) summary.certificates.push(certificate.certificateNumber);
    }
    summary.brands.push({ name: brand.name, id: registered.id, qualifies: false, trained: 0, ethicsTrainingHeld: false, unmet: [], loadedTrainees: trainees.length });
    log(`${brand.name}: ${trainees.length} trainees, ${passing} passed, ${hired} hired`);
  }
  // Printed once, on purpose: the people of the demo, to sign in as (POST /oauth/token).
  log('demo users (DEMO ONLY: these passwords are in the source code; never load the demo into a platform with real data):');
  for (const demoUser of users) log(`  ${demoUser.username.padEnd(20)} ${demoUser.password.padEnd(32)} ${demoUser.role.padEnd(16)} ${demoUser.actsFor}`);
  return summary;
}

/**
 * The verdict of each demo brand as of 2021-09-30 (figures fill in from events, so ask when they have
 * settled), read with `accessToken` (the Zhuzhou bureau's officer: `summary.reader`).
 */
export async function demoVerdicts(baseUrl: string, summary: DemoSummary, accessToken: string): Promise<DemoSummary['brands']> {
  return Promise.all(
    summary.brands.map(async (brand) => {
      const response = await fetch(`${baseUrl}/api/v1/brands/${brand.id}/qualification?asOf=2021-09-30`, { headers: { authorization: `Bearer ${accessToken}` } });
      const qualification = (await response.json()) as DemoSummary['brands'][number];
      if (!response.ok) throw new Error(`GET /api/v1/brands/${brand.id}/qualification answered ${response.status}: ${JSON.stringify(qualification)}`);
      return { ...brand, qualifies: qualification.qualifies, trained: qualification.trained, ethicsTrainingHeld: qualification.ethicsTrainingHeld, unmet: qualification.unmet };
    }),
  );
}

/**
 * A request under an Idempotency-Key, sent again when the connection was reset before its answer came (a
 * kept-alive socket the server closed as it was reused): the key makes the repeat the same command.
 */
async function keyedRequest(send: () => Promise<Response>, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const reset = (error as { cause?: { code?: string } })?.cause?.code === 'ECONNRESET';
      if (!reset || attempt >= attempts) throw error;
    }
  }
}
