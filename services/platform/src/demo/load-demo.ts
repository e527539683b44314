import { DEMO_BRANDS, demoCreditCode, demoPerson, ZHUZHOU_2021_POLICY } from './demo-data';

/** True once every brand's figures count all of its trainees and its ethics course (they follow events). */
export const demoSettled = (brands: DemoSummary['brands']) =>
  brands.every((brand, i) => brand.trained === DEMO_BRANDS[i].trainees && brand.ethicsTrainingHeld === DEMO_BRANDS[i].ethicsCourse);

export interface DemoSummary {
  brands: Array<{ name: string; id: string; qualifies: boolean; trained: number; ethicsTrainingHeld: boolean; unmet: unknown[] }>;
  trainees: number;
  certificates: string[];
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
 * Loads the demo through the public API of the platform at `baseUrl` (npm start, or the gateway).
 * Safe to run again: each command repeats under the same Idempotency-Key and changes nothing.
 */
export async function loadDemo(baseUrl: string, log: (line: string) => void = () => undefined): Promise<DemoSummary> {
  const command = async (method: string, path: string, body: unknown, key: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'idempotency-key': `demo-2021:${key}`, 'x-actor': 'demo-loader' },
      body: JSON.stringify(body),
    });
    const answer = response.status === 204 ? {} : await response.json();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer as { id: string; certificateNumber?: string; employmentId?: string };
  };

  const bureau = await command('POST', '/api/v1/bureaus', { name: '株洲市人力资源和社会保障局', regionCode: '430200' }, 'bureau');
  const evaluator = await command('POST', '/api/v1/evaluators', { name: '湖南省职业技能鉴定中心', creditCode: demoCreditCode(900), kind: 'social_organisation', regionCode: '430200' }, 'evaluator');
  const summary: DemoSummary = { brands: [], trainees: 0, certificates: [] };
  let person = 0;

  for (const [b, brand] of DEMO_BRANDS.entries()) {
    const schoolCode = demoCreditCode(b * 2 + 1);
    const employerCode = demoCreditCode(b * 2 + 2);
    const school = await command('POST', '/api/v1/providers', { name: brand.school, creditCode: schoolCode, regionCode: '430200' }, `school-${b}`);
    const employer = await command('POST', '/api/v1/employers', { name: brand.employer, creditCode: employerCode, industryCode: brand.industryCode, regionCode: '430200' }, `employer-${b}`);
    const registered = await command(
      'POST',
      '/api/v1/brands',
      { bureauId: bureau.id, name: brand.name, tier: 'city', industryCode: brand.industryCode, occupationCodes: [brand.occupationCode], buildingUnits: [schoolCode, employerCode], policy: ZHUZHOU_2021_POLICY },
      `brand-${b}`,
    );
    const course = await command(
      'POST',
      '/api/v1/courses',
      { providerId: school.id, title: brand.courseTitle, occupationCode: brand.occupationCode, kind: 'skill', targetLevel: 'junior', capacity: 1000, startDate: '2021-03-01', endDate: '2021-06-30' },
      `course-${b}`,
    );
    const placement = await command(
      'POST',
      '/api/v1/placements',
      { employerId: employer.id, title: brand.courseTitle, occupationCode: brand.occupationCode, openings: brand.trainees, wageMin: 5000, wageMax: 9000, regionCode: '430200' },
      `placement-${b}`,
    );
    const people = Array.from({ length: brand.trainees }, () => person++);
    const trainees = await inBatches(people, 8, async (n, i) => {
      const trainee = await command('POST', '/api/v1/trainees', { ...demoPerson(n), categories: n % 3 === 0 ? ['rural_migrant'] : [] }, `trainee-${n}`);
      await command('POST', `/api/v1/courses/${course.id}/enrollments`, { traineeId: trainee.id, enrolledOn: '2021-03-01' }, `enrol-${n}`);
      const passed = i < brand.passing;
      await command('POST', `/api/v1/courses/${course.id}/assessments`, { traineeId: trainee.id, passed, score: passed ? 70 + (n % 30) : 40 + (n % 20), assessedOn: '2021-06-30' }, `assess-${n}`);
      if (i < brand.hired) await command('POST', `/api/v1/placements/${placement.id}/hires`, { traineeId: trainee.id, startDate: '2021-07-15', monthlyWage: 6000 + (n % 30) * 100 }, `hire-${n}`);
      return trainee.id;
    });
    summary.trainees += trainees.length;
    if (brand.ethicsCourse) {
      const ethics = await command(
        'POST',
        '/api/v1/courses',
        { providerId: school.id, title: '职业道德和法律法规', occupationCode: brand.occupationCode, kind: 'ethics_and_law', capacity: 1000, startDate: '2021-04-01', endDate: '2021-04-01' },
        `ethics-${b}`,
      );
      await command('POST', `/api/v1/courses/${ethics.id}/enrollments`, { traineeId: trainees[0], enrolledOn: '2021-04-01' }, `ethics-enrol-${b}`);
      await command('POST', `/api/v1/courses/${ethics.id}/assessments`, { traineeId: trainees[0], passed: true, score: 90, assessedOn: '2021-04-01' }, `ethics-assess-${b}`);
    }
    // The best five of each brand are certified junior in their occupation.
    for (const [i, traineeId] of trainees.slice(0, 5).entries()) {
      const certificate = await command(
        'POST',
        '/api/v1/certifications',
        { traineeId, occupationCode: brand.occupationCode, level: 'junior', route: 'assessment', evaluatorId: evaluator.id, certifiedOn: '2021-07-01' },
        `certify-${b}-${i}`,
      );
      if (certificate.certificateNumber) summary.certificates.push(certificate.certificateNumber);
    }
    summary.brands.push({ name: brand.name, id: registered.id, qualifies: false, trained: 0, ethicsTrainingHeld: false, unmet: [] });
    log(`${brand.name}: ${trainees.length} trainees, ${brand.passing} passed, ${brand.hired} hired`);
  }
  return summary;
}

/** The verdict of each demo brand as of 2021-09-30 (figures fill in from events, so ask when they have settled). */
export async function demoVerdicts(baseUrl: string, summary: DemoSummary): Promise<DemoSummary['brands']> {
  return Promise.all(
    summary.brands.map(async (brand) => {
      const qualification = (await (await fetch(`${baseUrl}/api/v1/brands/${brand.id}/qualification?asOf=2021-09-30`)).json()) as DemoSummary['brands'][number];
      return { ...brand, qualifies: qualification.qualifies, trained: qualification.trained, ethicsTrainingHeld: qualification.ethicsTrainingHeld, unmet: qualification.unmet };
    }),
  );
}
