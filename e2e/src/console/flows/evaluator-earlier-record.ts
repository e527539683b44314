import { http } from '@skills/testing';
import { Locator } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused, loseFirstAnswer } from '../page-checks';
import { daysAgo, evaluatorWithPerson, WELDER } from './evaluator-setup';
import { WorkspaceContext } from './workspace-context';

/** The option values of a select, in order. */
const optionsOf = (select: Locator) => select.locator('option').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value));

/**
 * An evaluator's staff user records a certificate of an earlier year below the level the person holds
 * today: the form builds on the level held on the date typed (the certification service judges it so),
 * not today's. Its first read of the ladder fails and is asked again with a button; the certification's
 * first answer is lost, and the ladder is read again all the same. A social training evaluation
 * organisation, it is not offered direct certification, told why under the routes.
 */
export async function evaluatorEarlierRecordFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { host } = context;
  const n = 31_100 + (locale === 'en' ? 1 : 0);

  // Set up through the API: the evaluator, its staff user, a person it certified junior, then intermediate, years ago.
  const { evaluatorId, staff, asStaff, traineeId, idNumber, name } = await evaluatorWithPerson(context, locale, n, '株洲市历史认定评价中心', locale === 'en' ? '司马晓东' : '诸葛文静');
  const [juniorOn, intermediateOn, earlierOn] = [daysAgo(2000), daysAgo(1000), daysAgo(3000)];
  for (const [level, certifiedOn] of [['junior', juniorOn], ['intermediate', intermediateOn]]) {
    const certified = await http(host.baseUrl, 'POST', '/api/v1/certifications', { traineeId, occupationCode: WELDER, level, route: 'assessment', evaluatorId, certifiedOn }, asStaff);
    if (certified.status !== 201) throw new Error(`certifying ${level} answered ${certified.status}: ${JSON.stringify(certified.body)}`);
  }
  // The evaluator reads the history once its certifications relate it to the person (facts that travel by Kafka).
  for (let tries = 0; ; tries++) {
    const ladder = await http(host.baseUrl, 'GET', `/api/v1/ladder/trainees/${traineeId}?consistent=true`, undefined, asStaff);
    if (ladder.status === 200 && (ladder.body as Array<{ history: unknown[] }>)[0]?.history.length === 2) break;
    if (tries > 100) throw new Error(`the ladder's history never reached the evaluator: ${ladder.status} ${JSON.stringify(ladder.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const page = await context.newPage();
  await context.signIn(page, staff, locale);
  await page.getByRole('link', { name: t('nav.evaluatorCertify'), exact: true }).click();
  await page.getByRole('heading', { name: t('evaluator.certify.title'), exact: true }).waitFor();
  await page.getByLabel(t('trainee.idNumber'), { exact: true }).fill(idNumber);
  await page.getByLabel(t('trainee.name'), { exact: true }).fill(name);

  // The first read of the ladder fails (the service's trouble): the level is said not read, not "no level
  // yet", no route is offered, and a button asks again, reached by the keyboard.
  const isLadderRead = (url: URL) => url.pathname === `/api/v1/ladder/trainees/${traineeId}`;
  let ladderReads = 0;
  page.on('request', (request) => {
    if (request.method() === 'GET' && isLadderRead(new URL(request.url()))) ladderReads++;
  });
  // Every read fails until the service is back (the form may be mounted more than once as the lookup ends).
  let serviceBack = false;
  await page.route(isLadderRead, async (route) => {
    if (serviceBack) return route.fallback();
    await route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }) });
  });
  await page.getByRole('button', { name: t('evaluator.lookup.submit'), exact: true }).click();
  const occupation = page.getByLabel(t('course.occupation'), { exact: true });
  await occupation.fill(WELDER);
  const tryAgain = page.getByRole('button', { name: t('common.tryAgain'), exact: true });
  await tryAgain.waitFor();
  await page.getByText(t('evaluator.certify.levelNotRead'), { exact: true }).waitFor();
  expect(await page.getByText(t('evaluator.certify.noLevel'), { exact: true }).count()).toBe(0);
  expect(await page.getByLabel(t('evaluator.certify.route'), { exact: true }).count()).toBe(0);
  await context.checkPage(page, locale);
  serviceBack = true;
  await tryAgain.focus();
  await page.keyboard.press('Enter');
  await page.getByText(t('evaluator.certify.currentLevel', { level: t('level.intermediate') }), { exact: true }).waitFor();
  expect(await tryAgain.count()).toBe(0);
  // The button went with the trouble while it held the focus: the focus is on the level line just read, not lost.
  await expectFocused(page.locator('#certify-current'));
  await page.unroute(isLadderRead);

  // Today the routes build on intermediate; on a date between the two certificates, on junior.
  const route = page.getByLabel(t('evaluator.certify.route'), { exact: true });
  const level = page.getByLabel(t('evaluator.certify.level'), { exact: true });
  const certifiedOn = page.getByLabel(t('evaluator.certify.certifiedOn'), { exact: true });
  expect(await optionsOf(route)).toEqual(['assessment', 'exceptional']);
  const between = daysAgo(1500);
  await certifiedOn.fill(between);
  await page.getByText(t('evaluator.certify.levelOn', { date: between, level: t('level.junior') }), { exact: true }).waitFor();
  expect(await optionsOf(level)).toEqual(['intermediate', 'senior', 'technician', 'senior_technician']);

  // Before the first certificate the person had no level: the unrated routes and their first rungs are
  // offered, but not direct certification (nor ever appointment): the evaluator is a social training
  // evaluation organisation, and the line under the routes, tied to them, says only an employer makes those.
  await certifiedOn.fill(earlierOn);
  await page.getByText(t('evaluator.certify.noLevelOn', { date: earlierOn }), { exact: true }).waitFor();
  expect(await optionsOf(route)).toEqual(['assessment', 'exceptional']);
  expect(await route.locator('option').allInnerTexts()).toEqual([t('evaluator.route.assessment'), t('evaluator.route.exceptional')]);
  expect(await page.locator(`[id="${await route.getAttribute('aria-describedby')}"]`).innerText()).toBe(t('evaluator.kind.employerOnlyRoutes'));
  await route.selectOption('assessment');
  expect(await optionsOf(level)).toEqual(['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician']);
  await level.selectOption('apprentice');
  await page.getByRole('button', { name: t('evaluator.certify.check'), exact: true }).click();
  await page.getByText(t('evaluator.certify.wouldPass', { from: t('evaluator.certify.none'), to: t('level.apprentice') }), { exact: true }).waitFor();
  await context.checkPage(page, locale, 'evaluator-certify-earlier');

  // The certification's answer is lost: said as a failure, and the ladder is read again all the same,
  // so the hint shows the apprentice certificate the platform did make on that date.
  const keys = await loseFirstAnswer(page, '**/api/v1/certifications');
  const readsBefore = ladderReads;
  const submit = page.getByRole('button', { name: t('evaluator.certify.submit'), exact: true });
  await submit.click();
  await page.getByRole('alert').filter({ hasText: t('common.failed') }).waitFor();
  await page.getByText(t('evaluator.certify.levelOn', { date: earlierOn, level: t('level.apprentice') }), { exact: true }).waitFor();
  expect(ladderReads).toBeGreaterThan(readsBefore);
  await page.unroute('**/api/v1/certifications');
  expect(keys).toHaveLength(1);
  // Built on apprentice now, the form offers the next rung: the check must be run again for it.
  expect(await level.inputValue()).toBe('junior');
  expect(await submit.isDisabled()).toBe(true);
}
