// A bureau's statistics in the browser: a city's bureau with a school and an evaluation organisation in its
// districts, three trainees assessed in one quarter (one a veteran) and one certified, all through the API;
// the officer opens the statistics page on their region, picks the quarter with the period picker, reads
// the figures (by category too), sees a chart per figure over 8 quarters, looks inside one district, and
// downloads the table as CSV with its Chinese column titles. Checked with axe-core in both modes, and on a phone.
import { businessDateOf, NATIONAL_REGION } from '@skills/domain-kernel';
import { bearer, http, signInAs, testCreditCode, testIdentityNumber, waitFor } from '@skills/testing';
import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { WorkspaceContext } from './workspace-context';

const WELDER = '6-18-02-04';
/** The quarter the records fall in, and its parts as the picker sets them. */
const QUARTER = { period: '2025-Q2', year: '2025', quarter: '2' };

/** Per locale its own city (no other flow uses Guangdong's codes), districts and people (9100–9199). */
const PLACES: Record<Locale, { city: string; school: string; evaluator: string; first: number }> = {
  'zh-CN': { city: '440300', school: '440303', evaluator: '440304', first: 9100 },
  en: { city: '440100', school: '440103', evaluator: '440104', first: 9150 },
};

interface Statistics {
  trainingSessions: number;
  certificatesIssued: number;
  byCategory: Record<string, { trainingSessions: number }>;
}

/** The city's bureau, school and evaluator, three trainees assessed and passed in the quarter, one certified. */
async function regionWithRecords(context: WorkspaceContext, locale: Locale) {
  const base = context.host.baseUrl;
  const { city, school: schoolRegion, evaluator: evaluatorRegion, first } = PLACES[locale];
  const made = async (token: string, path: string, body: unknown) => {
    const answer = await http(base, 'POST', path, body, bearer(token));
    if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const admin = context.adminToken;
  const bureau = (await made(admin, '/api/v1/bureaus', { name: `统计流程人力资源和社会保障局${locale}`, regionCode: city })).id as string;
  const provider = (await made(admin, '/api/v1/providers', { name: `统计流程职业培训学校${locale}`, creditCode: testCreditCode(9_100_000 + first), regionCode: schoolRegion })).id as string;
  const evaluator = (await made(admin, '/api/v1/evaluators', { name: `统计流程技能评价中心${locale}`, creditCode: testCreditCode(9_100_001 + first), regionCode: evaluatorRegion, kind: 'social_organisation' })).id as string;
  // The officer's token carries the bureau's region once identity's register holds the bureau.
  await waitFor(
    async () => {
      const listed = (await http(base, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
      return [bureau, provider, evaluator].every((id) => listed.includes(id)) || undefined;
    },
    { description: 'the organisations to reach identity', timeoutMs: 30_000 },
  );
  const school = (await signInAs(base, { role: 'school_staff', organisationId: provider, orgAdmin: true })).token;
  const evaluatorStaff = (await signInAs(base, { role: 'evaluator_staff', organisationId: evaluator, orgAdmin: true })).token;
  const course = (await made(school, '/api/v1/courses', { providerId: provider, title: `统计流程焊工班${locale}`, occupationCode: WELDER, kind: 'skill', capacity: 30, startDate: '2025-04-01', endDate: '2025-06-30' })).id as string;
  const trainees: string[] = [];
  // Five veterans and one more: a category's count is shown only from 5 (one under it could be picked out).
  for (const [index, name] of ['陈统一', '陈统二', '陈统三', '陈统四', '陈统五', '陈统六'].entries()) {
    const categories = index < 5 ? ['veteran'] : [];
    const traineeId = (await made(school, '/api/v1/trainees', { name, idNumber: testIdentityNumber(first + index), phone: '13800000000', categories })).id as string;
    await made(school, `/api/v1/courses/${course}/enrollments`, { traineeId, enrolledOn: '2025-04-01' });
    await made(school, `/api/v1/courses/${course}/assessments`, { traineeId, passed: true, score: 80 + index, assessedOn: '2025-06-20' });
    trainees.push(traineeId);
  }
  await made(evaluatorStaff, '/api/v1/certifications', { traineeId: trainees[0], occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: evaluator, certifiedOn: '2025-06-25' });
  // The figures hold every record once the statistics have caught up with them.
  await waitFor(
    async () => {
      const answer = await http(base, 'GET', `/api/v1/statistics/regions/${city}?period=${QUARTER.period}&consistent=true`, undefined, bearer(admin));
      const figures = answer.body as Statistics;
      return (answer.status === 200 && figures.trainingSessions === 6 && figures.certificatesIssued === 1 && figures.byCategory.veteran?.trainingSessions === 5) || undefined;
    },
    { description: `the statistics of ${city} to hold the quarter's records`, timeoutMs: 60_000 },
  );
  const officer = await context.newUser({ role: 'bureau_officer', organisationId: bureau });
  return { officer, city, schoolRegion };
}

/** The text of a figure's cell: `of` is 'all' (the total) or a trainee category. */
const cell = (page: Page, figure: string, of = 'all') => page.locator(`.statistics-table tr[data-figure="${figure}"] td[data-of="${of}"]`);

async function expectCell(page: Page, figure: string, text: string, of = 'all'): Promise<void> {
  await waitFor(async () => ((await cell(page, figure, of).innerText()).trim() === text) || undefined, { description: `${figure} (${of}) to show ${text}` }).catch(async (error: unknown) => {
    throw new Error(`${figure} (${of}) shows ${await cell(page, figure, of).innerText()}, not ${text}: ${String(error)}`);
  });
}

/** No element wider than a 360 px phone's screen: the page scrolls only down. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
  if (overflow > 0) throw new Error(`${page.url()} is ${overflow} px wider than the phone's screen`);
}

/** The last quarter wholly past today in China (the business day, whatever the machine's zone), as the page opens on it. */
function lastCompleteQuarter(today: string): { year: string; quarter: string } {
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const quarter = Math.ceil(month / 3);
  return quarter === 1 ? { year: String(year - 1), quarter: '4' } : { year: String(year), quarter: String(quarter - 1) };
}

export async function statisticsFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { officer, city, schoolRegion } = await regionWithRecords(context, locale);
  const page = await context.newPage();
  await context.signIn(page, officer, locale);

  // From the navigation: the bureau's own region and the last complete quarter, already filled in.
  await page.getByRole('link', { name: t('nav.statistics'), exact: true }).click();
  await page.getByRole('heading', { name: t('statistics.title'), level: 1 }).waitFor();
  const region = page.getByLabel(t('brand.region'), { exact: true });
  expect(await region.inputValue()).toBe(city);
  const kind = page.getByLabel(t('statistics.period.kind'), { exact: true });
  const year = page.getByLabel(t('statistics.period.year'), { exact: true });
  const quarter = page.getByLabel(t('statistics.period.quarter'), { exact: true });
  const expected = lastCompleteQuarter(businessDateOf(new Date()));
  expect([await kind.inputValue(), await year.inputValue(), await quarter.inputValue()]).toEqual(['quarter', expected.year, expected.quarter]);

  // A region code of the wrong shape is refused at the field, before asking.
  await region.fill('4403');
  await page.getByRole('button', { name: t('common.show'), exact: true }).click();
  await page.getByText(t('statistics.regionRule')).waitFor();
  expect(await region.getAttribute('aria-invalid')).toBe('true');

  // The quarter of the records, picked from the keyboard's controls.
  await region.fill(city);
  await year.fill(QUARTER.year);
  await quarter.selectOption(QUARTER.quarter);
  await page.getByRole('button', { name: t('common.show'), exact: true }).click();
  await page.waitForURL(`**/statistics?region=${city}&period=${QUARTER.period}`);
  await page.getByRole('heading', { name: t('statistics.figures.title', { region: city, period: t('statistics.period.ofQuarter', { year: QUARTER.year, quarter: QUARTER.quarter }) }) }).waitFor();
  await expectCell(page, 'trainingSessions', '6');
  await expectCell(page, 'trained', '6');
  await expectCell(page, 'passed', '6');
  await expectCell(page, 'passRate', '100.0%');
  await expectCell(page, 'certificatesIssued', '1');
  await expectCell(page, 'level-junior', '1');
  await expectCell(page, 'route-assessment', '1');
  await page.getByText(t('statistics.group.noHires')).waitFor();

  // A column per category: the five veterans' assessments; a category under 5 (none here) is not shown.
  await page.getByLabel(t('statistics.figures.byCategory')).check();
  await page.getByRole('columnheader', { name: t('statistics.category.veteran') }).waitFor();
  await expectCell(page, 'trainingSessions', '5', 'veteran');
  await expectCell(page, 'trainingSessions', t('statistics.count.notShown'), 'graduate');

  // A chart per figure over the 8 quarters up to the one picked, each with its numbers as a table.
  const trend = page.getByRole('region', { name: t('statistics.trend.title') });
  await trend.waitFor();
  await trend.locator('figure.statistics-chart').nth(6).waitFor();
  expect(await trend.locator('figure.statistics-chart').count()).toBe(7);
  const sessions = trend.locator('figure[data-figure="trainingSessions"]');
  await sessions.locator('.chart svg').waitFor();
  const quarterWords = t('statistics.period.ofQuarter', { year: QUARTER.year, quarter: QUARTER.quarter });
  expect(await sessions.locator('.chart[role="img"]').getAttribute('aria-label')).toContain(`${quarterWords} 6`);
  await sessions.getByText(t('statistics.trend.asTable', { figure: t('statistics.figure.trainingSessions') })).click();
  expect((await sessions.getByRole('row', { name: quarterWords }).innerText()).replace(/\s+/g, ' ')).toContain('6');
  await context.checkPage(page, locale, 'statistics-region');

  // The same table as a CSV file, with the Chinese column titles a bureau files.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: t('statistics.download.csv'), exact: true }).click()]);
  expect(download.suggestedFilename()).toBe(`statistics-${city}-${QUARTER.period}.csv`);
  const lines = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  expect(lines[0]).toContain('指标');
  expect(lines.find((line) => line.startsWith('培训人次'))).toMatch(/^培训人次,6,/);
  await page.getByRole('status').filter({ hasText: t('me.downloaded') }).waitFor();

  // Inside the region: the school's district holds the training, not the evaluator's certificate.
  await region.fill(schoolRegion);
  await page.getByRole('button', { name: t('common.show'), exact: true }).click();
  await page.waitForURL(`**/statistics?region=${schoolRegion}&period=${QUARTER.period}`);
  await expectCell(page, 'trainingSessions', '6');
  await expectCell(page, 'certificatesIssued', '0');
  await page.close();

  // On a 360 px phone the page scrolls only down: the table scrolls in its own region.
  const phone = await context.newPage({ width: 360, height: 740 });
  await context.signIn(phone, officer, locale);
  await phone.goto(`${context.host.baseUrl}/statistics?region=${city}&period=${QUARTER.period}`);
  await expectCell(phone, 'trainingSessions', '6');
  await phone.getByLabel(t('statistics.figures.byCategory')).check();
  await expectCell(phone, 'trainingSessions', '5', 'veteran');
  await phone.getByRole('region', { name: t('statistics.trend.title') }).locator('figure.statistics-chart').nth(6).waitFor();
  await expectNoSidewaysScroll(phone);
  await context.checkPage(phone, locale, 'statistics-phone');
  await phone.close();
  await expectWholeCountryNamed(context, locale);
}

/** The ministry's bureau (region 000000, one for the platform: registered by the first locale's run, found by the next). */
async function ministry(context: WorkspaceContext): Promise<string> {
  const base = context.host.baseUrl;
  const name = '人力资源和社会保障部（统计流程）';
  const answer = await http(base, 'POST', '/api/v1/bureaus', { name, regionCode: NATIONAL_REGION }, bearer(context.adminToken));
  if (answer.status !== 201 && answer.status !== 409) throw new Error(`registering the ministry: ${answer.status} ${JSON.stringify(answer.body)}`);
  return waitFor(async () => {
    const listed = (await http(base, 'GET', '/api/v1/organisations?kind=bureau&limit=100')).body.items as { id: string; regionCode: string }[];
    return listed.find((organisation) => organisation.regionCode === NATIONAL_REGION)?.id;
  }, { description: 'the ministry to reach identity' });
}

/**
 * A ministry officer's pages: the skill-level distribution opens on the whole country (asked with no region,
 * which the API answers with the nation; 000000 it refuses as a region code) and says so, and the statistics
 * are headed the whole country, not "region 000000".
 */
async function expectWholeCountryNamed(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const officer = await context.newUser({ role: 'bureau_officer', organisationId: await ministry(context) });
  const page = await context.newPage();
  await context.signIn(page, officer, locale);
  await page.goto(`${context.host.baseUrl}/bureau/distribution`);
  await page.getByRole('heading', { level: 2, name: t('distribution.shown', { region: t('distribution.allRegions'), occupation: t('distribution.allOccupations') }), exact: true }).waitFor();
  expect(await page.getByRole('alert').count()).toBe(0);
  await page.goto(`${context.host.baseUrl}/statistics?region=${NATIONAL_REGION}&period=${QUARTER.period}`);
  const heading = page.locator('#statistics-figures-title');
  await heading.waitFor();
  const [before, after] = t('statistics.figures.nationTitle', { period: '\u0000' }).split('\u0000');
  expect(await heading.innerText()).toMatch(new RegExp(`^${escaped(before)}.+${escaped(after)}$`));
  await page.close();
}

const escaped = (words: string) => words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
