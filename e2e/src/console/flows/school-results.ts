import { bearer, http, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

/** This area's numbers (49_000–49_999): credit codes and identity numbers per locale, as both locales share the platform. */
const SERIAL: Record<Locale, number> = { 'zh-CN': 49_000, en: 49_500 };

/** A course of 2021 (its results are of an earlier year), so a result dated this year is far after its end. */
const COURSE = { startDate: '2021-03-01', endDate: '2021-06-30' };

/** A command through the API that must succeed: its answer's body. */
async function made(context: WorkspaceContext, token: string, path: string, body: object) {
  const answer = await http(context.host.baseUrl, 'POST', path, body, bearer(token));
  if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A school, one of its clerks and the clerk's token (to set up what the page shows, and to record "meanwhile"). */
async function schoolWithClerk(context: WorkspaceContext, locale: Locale) {
  const base = context.host.baseUrl;
  const provider = await made(context, context.adminToken, '/api/v1/providers', { name: `株洲成绩核对职业培训学校${locale}`, creditCode: testCreditCode(SERIAL[locale]), regionCode: '430200' });
  const school = provider.id as string;
  await waitFor(async () => ((await http(base, 'GET', '/api/v1/organisations?limit=100')).body.items as { id: string }[]).some((item) => item.id === school) || undefined, {
    description: 'the school to reach identity',
  });
  const clerk = await context.newUser({ role: 'school_staff', organisationId: school });
  const token = (await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: clerk.username, password: clerk.password })).body.access_token as string;
  return { school, clerk, token };
}

/**
 * The roster as the server answers it, with one trainee's registration said voided (a registration voided
 * after enrolling cannot be made through the API: api.md allows voiding only while nothing refers to it).
 */
async function sayVoided(page: Page, traineeId: string): Promise<void> {
  await page.route(
    (url) => /\/api\/v1\/courses\/[^/]+\/enrollments$/.test(url.pathname),
    async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      try {
        const answer = await route.fetch();
        const body = await answer.json();
        body.items = body.items.map((item: { traineeId: string }) => (item.traineeId === traineeId ? { ...item, registrationVoided: true } : item));
        await route.fulfill({ response: answer, json: body });
      } catch {
        // A read the page called off (it went on to another page meanwhile) has nobody to answer.
      }
    },
  );
}

/**
 * A school clerk's day at a course's roster and results grid:
 * - scheduling a course, whose end date left as its start (both today) is said to make a one-day course;
 * - a voided registration said so on the roster and in the grid, with nothing offered to record;
 * - a new row starting with neither pass nor fail: a score typed alone is told at the row (once), saving sends
 *   nothing for it and the focus goes to its choice; the choice made with the keyboard (up and down move
 *   without choosing, past a voided row; arrow to 不合格, Space);
 * - a result dated years after the course warned at its cell and, at the first press, left unsent; the second
 *   sends it; once recorded, its date is not warned of again;
 * - a result recorded by someone else after the grid was read: refused, the other result's values said at the
 *   row (naming the trainee) and the clerk's kept; saving again replaces it, marked 更正 as the API answers; a
 *   draft typed before someone else's result and replayed after a reload is told so at once;
 * - a registration voided meanwhile (trainee_voided): the row becomes a voided one, nothing left to save;
 * - no withdrawal offered where a result dated at the course's end leaves no day for it; otherwise its date
 *   starts on the course's last day (as without a result), and one not after the result's is said at the field
 *   before anything is sent.
 * Every page checked with axe-core in both modes.
 */
export async function schoolResultsFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const base = context.host.baseUrl;
  const { school, clerk, token } = await schoolWithClerk(context, locale);
  const names = locale === 'en' ? ['钱合英', '孙迟英', '李另英', '周稿英', '吴废英', '郑退英'] : ['钱合中', '孙迟中', '李另中', '周稿中', '吴废中', '郑退中'];
  const trainees: string[] = [];
  for (const [at, name] of names.entries()) trainees.push((await made(context, token, '/api/v1/trainees', { name, idNumber: testAdultIdentityNumber(SERIAL[locale] + 1 + at), phone: `1380000${5100 + at}` })).id as string);
  const [choosing, late, meanwhile, drafted, voided, leaving] = trainees;
  const title = `成绩核对焊工班${locale}`;
  const course = (await made(context, token, '/api/v1/courses', { providerId: school, title, occupationCode: '6-18-02-04', kind: 'skill', capacity: 30, ...COURSE })).id as string;
  for (const traineeId of trainees) await made(context, token, `/api/v1/courses/${course}/enrollments`, { traineeId, enrolledOn: '2021-03-02' });

  const page = await context.newPage();
  await context.signIn(page, clerk, locale);

  // Scheduling: start and end both today make a one-day course, said beside the end date; another end date, no more.
  await page.goto(`${base}/school/courses`);
  await page.getByRole('button', { name: t('courses.schedule'), exact: true }).click();
  const endDate = page.getByLabel(t('course.endDate'), { exact: true });
  await page.getByText(t('course.oneDayCourse')).waitFor();
  expect(await endDate.getAttribute('aria-describedby')).toBe('endDate-one-day');
  await context.checkPage(page, locale);
  const startDate = await page.getByLabel(t('course.startDate'), { exact: true }).inputValue();
  await endDate.fill(new Date(Date.parse(`${startDate}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10));
  expect(await page.getByText(t('course.oneDayCourse')).count()).toBe(0);

  // The roster: a voided registration says so, not that the name cannot be read for now.
  await sayVoided(page, voided);
  await page.goto(`${base}/school/courses/${course}`);
  await page.getByRole('cell', { name: t('roster.registrationVoided'), exact: true }).waitFor();
  await page.getByRole('cell', { name: names[0], exact: true }).waitFor();
  expect(await page.getByText(t('trainee.nameUnavailable')).count()).toBe(0);
  // Its seat kept (it had a result), it is offered no withdrawal either: only the void of an enrolment recorded in error.
  const rosterRow = (name: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  expect(await rosterRow(t('roster.registrationVoided')).getByRole('button').allInnerTexts()).toEqual([t('enrolment.void.start')]);

  // The grid: the voided row offers nothing to record.
  await page.getByRole('link', { name: t('course.enterResults'), exact: true }).click();
  const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  await row(names[0]).waitFor();
  const voidedRow = row(t('roster.registrationVoided'));
  await voidedRow.getByText(t('results.registrationVoided')).waitFor();
  expect(await voidedRow.locator('input').count()).toBe(0);
  expect(await page.getByText(t('trainee.nameUnavailable')).count()).toBe(0);

  // Every new row starts with neither pass nor fail chosen.
  const choice = (name: string) => page.getByRole('radiogroup', { name: t('results.passedOf', { name }), exact: true });
  const pass = (name: string) => choice(name).getByRole('radio', { name: t('results.pass'), exact: true });
  const fail = (name: string) => choice(name).getByRole('radio', { name: t('results.fail'), exact: true });
  for (const name of names.slice(0, 4)) expect([await pass(name).isChecked(), await fail(name).isChecked()]).toEqual([false, false]);

  // Someone else records a result for a trainee after the grid was read.
  await made(context, token, `/api/v1/courses/${course}/assessments`, { traineeId: meanwhile, passed: false, score: 55, assessedOn: '2021-06-28' });

  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/api/v1/courses/${course}/assessments`)) posts.push(JSON.parse(request.postData() ?? '{}').traineeId);
  });
  const score = (name: string) => page.getByLabel(t('results.scoreOf', { name }), { exact: true });
  const save = page.getByRole('button', { name: t('results.save'), exact: true });

  // A score typed alone: the row says pass or fail must be chosen, and saving sends nothing for it.
  await score(names[0]).fill('30');
  await row(names[0]).getByText(t('results.passedRequired')).waitFor();
  expect(await choice(names[0]).getAttribute('aria-invalid')).toBe('true');
  // A date of this year for the 2021 course: warned at its cell as typed.
  await pass(names[1]).click();
  await score(names[1]).fill('80');
  const lateDate = '2024-01-05';
  await page.getByLabel(t('results.assessedOnOf', { name: names[1] }), { exact: true }).fill(lateDate);
  await row(names[1]).getByText(t('results.lateAssessment', { endDate: COURSE.endDate })).waitFor();
  // Over the result recorded meanwhile: the grid still shows none for that trainee.
  await pass(names[2]).click();
  await score(names[2]).fill('90');
  await context.checkPage(page, locale);

  await save.click();
  // Each refusal the row announces names the trainee; one its cell says already is not said twice, and the focus goes to the first refused row's cell.
  await row(names[1]).getByRole('alert').getByText(t('results.lateAssessmentConfirm', { endDate: COURSE.endDate, save: t('results.save') })).waitFor();
  await row(names[1]).getByRole('alert').getByText(t('results.refusedRow', { name: names[1] })).waitFor();
  await expectFocused(pass(names[0]));
  expect(await row(names[0]).getByText(t('results.passedRequired')).count()).toBe(1);
  expect(await row(names[0]).getByRole('alert').count()).toBe(0);
  // Neither the row without a choice nor the far date was sent; the one over the other result was, and refused.
  expect(posts).toEqual([meanwhile]);
  const result = t('results.failedWithScore', { score: 55 });
  await row(names[2]).getByRole('alert').getByText(t('results.changedMeanwhile', { result, assessedOn: '2021-06-28', save: t('results.save') })).waitFor();
  await row(names[2]).getByRole('alert').getByText(t('results.refusedRow', { name: names[2] })).waitFor();
  // The clerk's values are kept; the other result is now the row's recorded one.
  expect([await score(names[2]).inputValue(), await pass(names[2]).isChecked()]).toEqual(['90', true]);
  await context.checkPage(page, locale);

  // Left from 合格 goes nowhere (the row does not wrap round); up and down move along the column, choosing nothing, and past the voided row.
  await pass(names[0]).focus();
  await page.keyboard.press('ArrowLeft');
  await expectFocused(pass(names[0]));
  await page.keyboard.press('ArrowDown');
  await expectFocused(pass(names[1]));
  expect([await fail(names[0]).isChecked(), await pass(names[1]).isChecked()]).toEqual([false, true]);
  await pass(names[3]).focus();
  await page.keyboard.press('ArrowDown');
  await expectFocused(pass(names[5]));
  await page.keyboard.press('ArrowUp');
  await expectFocused(pass(names[3]));
  expect([await pass(names[3]).isChecked(), await fail(names[3]).isChecked(), await pass(names[5]).isChecked()]).toEqual([false, false, false]);
  // The choice by keyboard: from 合格, the right arrow moves to 不合格 (choosing nothing), Space chooses it.
  await pass(names[0]).focus();
  await page.keyboard.press('ArrowRight');
  await expectFocused(fail(names[0]));
  expect(await fail(names[0]).isChecked()).toBe(false);
  await page.keyboard.press('Space');
  expect(await fail(names[0]).isChecked()).toBe(true);
  expect(await row(names[0]).getByText(t('results.passedRequired')).count()).toBe(0);

  // The second press sends the far date as it is, replaces the other result knowingly, and records the fail.
  await save.click();
  await page.getByText(t('results.allSaved')).waitFor();
  expect(posts.slice(1).sort()).toEqual([choosing, late, meanwhile].sort());
  // Marked 更正 as the API answered it: only the row that replaced a result.
  await row(names[2]).getByText(`${t('results.saved')} · ${t('results.correction')}`).waitFor();
  expect(await row(names[0]).getByText(t('results.correction'), { exact: false }).count()).toBe(0);
  expect(await row(names[1]).getByText(t('results.correction'), { exact: false }).count()).toBe(0);

  // A draft typed over no result, someone else's result recorded, then the page reloaded: the draft, replayed, is told so at once, before any press.
  await pass(names[3]).click();
  await score(names[3]).fill('85');
  await page.getByText(t('results.unsaved', { count: 1 })).waitFor();
  await made(context, token, `/api/v1/courses/${course}/assessments`, { traineeId: drafted, passed: true, score: 70, assessedOn: '2021-06-29' });
  await page.reload();
  await row(names[3]).waitFor();
  expect(await score(names[3]).inputValue()).toBe('85');
  await row(names[3]).getByRole('alert').getByText(t('results.changedMeanwhile', { result: t('results.passedWithScore', { score: 70 }), assessedOn: '2021-06-29', save: t('results.save') })).waitFor();
  expect(posts.length).toBe(4);
  // The far date, now the recorded one, is not warned of again: its score corrected alone saves at the first press.
  expect(await row(names[1]).getByText(t('results.lateAssessment', { endDate: COURSE.endDate })).count()).toBe(0);
  await score(names[1]).fill('81');
  await save.click();
  await page.getByText(t('results.allSaved')).waitFor();
  await row(names[3]).getByText(`${t('results.saved')} · ${t('results.correction')}`).waitFor();
  await row(names[1]).getByText(`${t('results.saved')} · ${t('results.correction')}`).waitFor();

  // A registration voided meanwhile (the API's answer for it, as it cannot be made through the API): the row becomes a voided one, nothing left to save.
  const assessments = (url: URL) => url.pathname.endsWith(`/api/v1/courses/${course}/assessments`);
  await page.route(assessments, (route) =>
      JSON.parse(route.request().postData() ?? '{}').traineeId === leaving
        ? route.fulfill({ status: 409, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, rule: 'trainee_voided' }) })
        : route.fallback(),
  );
  await pass(names[5]).click();
  await score(names[5]).fill('75');
  await save.click();
  await page.getByText(t('results.allSaved')).waitFor();
  expect(await page.locator('tr[data-voided="true"]').count()).toBe(2);
  expect(await save.isDisabled()).toBe(true);
  await page.unroute(assessments);
  const roster = await http(base, 'GET', `/api/v1/courses/${course}/enrollments?limit=100&consistent=true`, undefined, bearer(token));
  const standing = Object.fromEntries((roster.body.items as { traineeId: string; assessment: { score: number; assessedOn: string } | null }[]).map((item) => [item.traineeId, item.assessment && { score: item.assessment.score, assessedOn: item.assessment.assessedOn }]));
  expect([standing[choosing], standing[late], standing[meanwhile], standing[drafted]]).toEqual([
    { score: 30, assessedOn: COURSE.endDate },
    { score: 81, assessedOn: lateDate },
    { score: 90, assessedOn: COURSE.endDate },
    { score: 85, assessedOn: COURSE.endDate },
  ]);

  // Withdrawal: none offered for a result dated at the course's end (no day is after it and not after the end), said in its place.
  await made(context, token, `/api/v1/courses/${course}/assessments`, { traineeId: leaving, passed: true, score: 60, assessedOn: '2021-06-01' });
  await page.goto(`${base}/school/courses/${course}`);
  await rosterRow(names[0]).getByText(t('withdraw.afterResult', { assessedOn: COURSE.endDate })).waitFor();
  expect(await rosterRow(names[0]).getByRole('button').allInnerTexts()).toEqual([t('enrolment.void.start')]);
  // For a result before the end: the date starts on the course's last day, as without a result (never a day long past),
  // and one not after the result's is said at the field, nothing sent.
  const deletes: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'DELETE') deletes.push(request.url());
  });
  await page.getByRole('button', { name: t('withdraw.start', { name: names[5] }), exact: true }).click();
  const withdrawnOn = page.getByLabel(t('withdraw.date'), { exact: true });
  expect(await withdrawnOn.inputValue()).toBe(COURSE.endDate);
  await withdrawnOn.fill('2021-06-01');
  await page.getByText(t('withdraw.notAfterResult', { assessedOn: '2021-06-01' })).waitFor();
  await page.getByRole('button', { name: t('withdraw.confirm'), exact: true }).click();
  await expectFocused(withdrawnOn);
  expect(deletes).toEqual([]);
  await withdrawnOn.fill('2021-06-02');
  await page.getByRole('button', { name: t('withdraw.confirm'), exact: true }).click();
  await page.getByRole('status').getByText(t('course.withdrawn', { name: names[5] })).waitFor();
  await page.close();
}
