// A building unit's school in the browser (domain.md section 9: staff of a brand's building units read it;
// a school reads its own graduates' outcomes): a city's bureau registers a brand the school builds and one it
// does not, the school's two trainees pass a welding course in one quarter and an employer hires one of them
// a fortnight after the course ends, all through the API. The school's clerk finds the brand from the
// navigation (not the other), reads its figures with no certify or revoke control, then opens its outcomes
// page, picks the quarter and reads the figures per course and in all, and downloads them as CSV.
// Checked with axe-core in both modes.
import { bearer, http, signInAs, testCreditCode, testIdentityNumber, waitFor } from '@skills/testing';
import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectDateFieldRinged } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

const WELDER = '6-18-02-04';
const QUARTER = { period: '2025-Q2', year: '2025', quarter: '2' };

/** Per locale its own city and district (no other flow uses Zhejiang's codes), organisations (48 300–48 399) and people (9700–9799). */
const PLACES: Record<Locale, { city: string; district: string; organisations: number; people: number }> = {
  'zh-CN': { city: '330100', district: '330102', organisations: 48_300, people: 9700 },
  en: { city: '330200', district: '330203', organisations: 48_350, people: 9750 },
};

/** The school's outcomes as the API answers them. */
interface Outcomes {
  graduates: number;
  employedWithin3Months: number;
  courses: unknown[];
}

/** The bureau, its brand built by the school and another brand, two graduates of the quarter and one of them hired. */
async function schoolBuildingABrand(context: WorkspaceContext, locale: Locale) {
  const base = context.host.baseUrl;
  const { city, district, organisations, people } = PLACES[locale];
  const made = async (token: string, path: string, body: unknown) => {
    const answer = await http(base, 'POST', path, body, bearer(token));
    if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const admin = context.adminToken;
  const bureau = (await made(admin, '/api/v1/bureaus', { name: `建设单位流程人力资源和社会保障局${locale}`, regionCode: city })).id as string;
  const schoolCreditCode = testCreditCode(organisations);
  // A school registered at the city's own code: its clerk's region code is a city's, as a city bureau's is, yet it decides nothing.
  const provider = (await made(admin, '/api/v1/providers', { name: `建设单位流程职业培训学校${locale}`, creditCode: schoolCreditCode, regionCode: city })).id as string;
  const employer = (await made(admin, '/api/v1/employers', { name: `建设单位流程装备制造${locale}`, creditCode: testCreditCode(organisations + 1), industryCode: 'C37', regionCode: district })).id as string;
  // The other brand's building unit: another school of the city (a unit must be one the platform holds, in the bureau's region).
  await made(admin, '/api/v1/providers', { name: `建设单位流程家政学校${locale}`, creditCode: testCreditCode(organisations + 2), regionCode: district });
  // The users' tokens carry their organisations once identity's register holds them.
  await waitFor(
    async () => {
      const listed = (await http(base, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
      return [bureau, provider, employer].every((id) => listed.includes(id)) || undefined;
    },
    { description: 'the organisations to reach identity', timeoutMs: 30_000 },
  );
  const officer = (await signInAs(base, { role: 'bureau_officer', organisationId: bureau })).token;
  const policy = { windowStart: '2025-01-01', windowEnd: '2025-12-31', minTrained: 1, minPassRate: 0.5, minEmploymentRate: 0, requiresEthicsTraining: false };
  const brand = { name: `建设单位流程铆焊工${locale}`, tier: 'city', industryCode: 'C37', occupationCodes: [WELDER] };
  const ours = (await made(officer, '/api/v1/brands', { bureauId: bureau, ...brand, buildingUnits: [schoolCreditCode], policy })).id as string;
  const otherName = `建设单位流程家政工${locale}`;
  await made(officer, '/api/v1/brands', { bureauId: bureau, ...brand, name: otherName, buildingUnits: [testCreditCode(organisations + 2)], policy });

  const school = (await signInAs(base, { role: 'school_staff', organisationId: provider, orgAdmin: true })).token;
  const courseTitle = `建设单位流程焊工班${locale}`;
  const course = (await made(school, '/api/v1/courses', { providerId: provider, title: courseTitle, occupationCode: WELDER, kind: 'skill', capacity: 30, startDate: '2025-04-01', endDate: '2025-06-30' })).id as string;
  const trainees: string[] = [];
  for (const [index, name] of ['林建一', '林建二'].entries()) {
    const traineeId = (await made(school, '/api/v1/trainees', { name, idNumber: testIdentityNumber(people + index), phone: '13800000000' })).id as string;
    await made(school, `/api/v1/courses/${course}/enrollments`, { traineeId, enrolledOn: '2025-04-01' });
    await made(school, `/api/v1/courses/${course}/assessments`, { traineeId, passed: true, score: 85, assessedOn: '2025-06-20' });
    trainees.push(traineeId);
  }
  // A fortnight after the course's end: employed within 3 months (and so within 6).
  const hirer = (await signInAs(base, { role: 'employer_staff', organisationId: employer })).token;
  const placement = (await made(hirer, '/api/v1/placements', { employerId: employer, title: `铆焊工${locale}`, occupationCode: WELDER, openings: 2, wageMin: 5000, wageMax: 8000, regionCode: district })).id as string;
  await made(hirer, `/api/v1/placements/${placement}/hires`, { traineeId: trainees[0], startDate: '2025-07-15', monthlyWage: 6000 });
  await waitFor(
    async () => {
      const answer = await http(base, 'GET', `/api/v1/statistics/providers/${provider}/outcomes?period=${QUARTER.period}&consistent=true`, undefined, bearer(admin));
      const outcomes = answer.body as Outcomes;
      return (answer.status === 200 && outcomes.graduates === 2 && outcomes.employedWithin3Months === 1) || undefined;
    },
    { description: "the school's outcomes to hold the quarter's graduates and the hire", timeoutMs: 60_000 },
  );
  // The brand's page reads its figures as they stand: they hold the graduates once the qualification has caught up.
  await waitFor(
    async () => {
      const answer = await http(base, 'GET', `/api/v1/brands/${ours}/qualification?consistent=true`, undefined, bearer(admin));
      return (answer.status === 200 && answer.body.qualifies === true) || undefined;
    },
    { description: "the brand's qualification to count the graduates", timeoutMs: 60_000 },
  );
  const clerk = await context.newUser({ role: 'school_staff', organisationId: provider });
  return { clerk, ours, brandName: brand.name, otherName, course, courseTitle };
}

/** The text of an outcome's cell: `course` is 'all' (the total) or a course's id. */
const outcomeCell = (page: Page, figure: string, course = 'all') => page.locator(`tr[data-course="${course}"] td[data-figure="${figure}"]`);

async function expectOutcome(page: Page, figure: string, text: string, course = 'all'): Promise<void> {
  await waitFor(async () => ((await outcomeCell(page, figure, course).innerText()).trim() === text) || undefined, { description: `${figure} (${course}) to show ${text}` });
}

export async function unitBrandsFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { clerk, ours, brandName, otherName, course, courseTitle } = await schoolBuildingABrand(context, locale);
  const page = await context.newPage();
  await context.signIn(page, clerk, locale);

  // From the navigation: the brands the school builds, not the bureau's other brand.
  await page.getByRole('link', { name: t('nav.unitBrands'), exact: true }).click();
  await page.getByRole('heading', { name: t('brands.unitTitle'), level: 1 }).waitFor();
  const brandLink = page.getByRole('link', { name: brandName, exact: true });
  await brandLink.waitFor();
  expect(await page.getByRole('link', { name: otherName, exact: true }).count()).toBe(0);
  await context.checkPage(page, locale, 'unit-brands');

  // The brand's figures as of today, read-only: no certification to start, said to be the bureau's.
  await brandLink.click();
  await page.waitForURL(`**/bureau/brands/${ours}`);
  await page.getByRole('heading', { name: brandName, level: 1 }).waitFor();
  await page.locator('.verdict[data-qualifies="true"]').waitFor();
  expect(await page.locator('#certify-title').count()).toBe(0);
  expect(await page.getByRole('button', { name: t('certify.start', { date: await page.getByLabel(t('brand.asOf')).inputValue() }) }).count()).toBe(0);
  await page.getByText(t('brand.decidedByBureau')).waitFor();
  await context.checkPage(page, locale, 'unit-brand');
  // The as-of date's every focus stop shows the console's focus ring, its calendar button included.
  await expectDateFieldRinged(page.getByLabel(t('brand.asOf')));

  // The school's graduates of the quarter and their employment, per course and in all.
  await page.getByRole('link', { name: t('nav.outcomes'), exact: true }).click();
  await page.getByRole('heading', { name: t('outcomes.title'), level: 1 }).waitFor();
  await page.getByLabel(t('statistics.period.kind'), { exact: true }).selectOption('quarter');
  await page.getByLabel(t('statistics.period.year'), { exact: true }).fill(QUARTER.year);
  await page.getByLabel(t('statistics.period.quarter'), { exact: true }).selectOption(QUARTER.quarter);
  await page.getByRole('button', { name: t('common.show'), exact: true }).click();
  await page.waitForURL(`**/statistics/outcomes?period=${QUARTER.period}`);
  await expectOutcome(page, 'graduates', '2');
  await expectOutcome(page, 'employedWithin3Months', '1');
  await expectOutcome(page, 'employedWithin6Months', '1');
  await expectOutcome(page, 'graduates', '2', course);
  await page.getByRole('rowheader', { name: courseTitle }).waitFor();
  await context.checkPage(page, locale, 'school-outcomes');

  // The same figures as the CSV file the API writes, with its Chinese column titles.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: t('statistics.download.csv'), exact: true }).click()]);
  expect(download.suggestedFilename()).toBe(`outcomes-${QUARTER.period}.csv`);
  const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  expect(lines[0]).toContain('毕业人数');
  expect(lines.find((line) => line.includes(courseTitle))).toMatch(/,2,1,1$/);
  await page.close();
}
