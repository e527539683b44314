import { bearer, http, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

/** This flow's numbers (33_800–33_899): one credit code and identity numbers of its own per locale, as both locales share the platform. */
const SERIAL: Record<Locale, number> = { 'zh-CN': 33_800, en: 33_850 };

/** A command through the API that must succeed: its answer's body. */
async function made(context: WorkspaceContext, token: string, path: string, body: object) {
  const answer = await http(context.host.baseUrl, 'POST', path, body, bearer(token));
  if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * A school clerk voids an enrolment recorded in error, by the keyboard, on the course's roster: a course of one
 * seat, ended (2021), its seat taken by the wrong person with a result. The step says what voiding does, that
 * the result goes with it and that it is not a withdrawal, with the reason field; empty, the reason is said at
 * the field; cancelled, the focus is back on the button. Voided, the row leaves the roster, the seat is free
 * (the course no longer full), and the line saying so holds the focus; the same person enrolled again is a new
 * enrolment, without the voided result.
 */
export async function schoolVoidFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const base = context.host.baseUrl;
  const provider = await made(context, context.adminToken, '/api/v1/providers', { name: `株洲报名核对职业培训学校${locale}`, creditCode: testCreditCode(SERIAL[locale]), regionCode: '430200' });
  const school = provider.id as string;
  await waitFor(async () => ((await http(base, 'GET', '/api/v1/organisations?limit=100')).body.items as { id: string }[]).some((item) => item.id === school) || undefined, {
    description: 'the school to reach identity',
  });
  const clerk = await context.newUser({ role: 'school_staff', organisationId: school });
  const token = (await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: clerk.username, password: clerk.password })).body.access_token as string;
  const name = locale === 'en' ? '欧阳错报' : '司马错报';
  const traineeId = (await made(context, token, '/api/v1/trainees', { name, idNumber: testAdultIdentityNumber(SERIAL[locale] + 1), phone: '13800005201' })).id as string;
  const course = (await made(context, token, '/api/v1/courses', { providerId: school, title: `报名核对焊工班${locale}`, occupationCode: '6-18-02-04', kind: 'skill', capacity: 1, startDate: '2021-03-01', endDate: '2021-06-30' })).id as string;
  await made(context, token, `/api/v1/courses/${course}/enrollments`, { traineeId, enrolledOn: '2021-03-02' });
  await made(context, token, `/api/v1/courses/${course}/assessments`, { traineeId, passed: true, score: 88, assessedOn: '2021-06-20' });

  const page = await context.newPage();
  await context.signIn(page, clerk, locale);
  await page.goto(`${base}/school/courses/${course}`);
  const rosterRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
  await rosterRow.waitFor();
  const seats = page.getByTestId('seats');
  expect(await seats.innerText()).toBe(`${t('course.seatsTaken', { enrolled: 1, capacity: 1 })} · ${t('course.full')}`);

  // Opened by the keyboard: the focus goes to the reason, heard with what voiding does, the result going too, and how it is not a withdrawal.
  const start = rosterRow.getByRole('button', { name: t('enrolment.void.startFor', { name }), exact: true });
  await start.focus();
  await page.keyboard.press('Enter');
  const step = page.getByRole('group', { name: t('enrolment.void.confirmTitle', { name }), exact: true });
  const reason = step.getByLabel(t('enrolment.void.reason'), { exact: true });
  await expectFocused(reason);
  const describedBy = ((await reason.getAttribute('aria-describedby')) ?? '').split(' ');
  expect(await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()))).toEqual([
    t('enrolment.void.what'),
    t('enrolment.void.withResult', { result: t('results.passedWithScore', { score: 88 }), assessedOn: '2021-06-20' }),
    t('enrolment.void.notWithdrawal'),
    t('hint.keptForGood'),
  ]);
  // Confirmed without a reason: said at the field, the focus back there, nothing sent.
  const confirm = step.getByRole('button', { name: t('enrolment.void.confirm'), exact: true });
  await confirm.focus();
  await page.keyboard.press('Enter');
  await expectSaidAtField(reason, t('enrolment.void.reasonRequired'));
  await expectFocused(reason);
  await context.checkPage(page, locale, 'school-void');
  // Cancelled, the focus is back on the button that opened the step.
  await step.getByRole('button', { name: t('common.cancel'), exact: true }).click();
  await expectFocused(start);

  // Voided: the row goes, the seat is free, and the line saying so holds the focus.
  await start.click();
  await reason.fill('报名时选错了学员');
  await confirm.click();
  const voided = page.getByRole('status').filter({ hasText: t('course.enrolmentVoided', { name }) });
  await expectFocused(voided);
  await rosterRow.waitFor({ state: 'detached' });
  await page.getByText(t('course.nobodyEnrolled'), { exact: true }).waitFor();
  expect(await seats.innerText()).toBe(t('course.seatsTaken', { enrolled: 0, capacity: 1 }));
  await context.checkPage(page, locale);

  // Enrolled again (the once-per-course rule judged without the voided enrolment): a new enrolment, without the voided result.
  await made(context, token, `/api/v1/courses/${course}/enrollments`, { traineeId, enrolledOn: '2021-03-02' });
  await page.reload();
  await rosterRow.waitFor();
  expect(await rosterRow.getByRole('cell').nth(3).innerText()).toBe('—');

  await correctTheCourse(page, t, { title: `报名核对焊工班${locale}`, enrolled: 1 }, () => context.checkPage(page, locale, 'school-course-correction'));
}

/**
 * The course scheduled with a mistake corrected by the keyboard ("Correct the course"): the step opens on its
 * title, heard with what may be corrected and what the course holds it to; seats of 0 are said at their field
 * before anything is sent; nothing changed is said; an empty reason is said at its field; an end before the
 * enrolment (2021-03-02) is refused by the server at the end date's field; corrected, the page shows the new
 * title, dates and seats, and the line saying so holds the focus.
 */
async function correctTheCourse(page: Page, t: ReturnType<typeof wordsOf>, course: { title: string; enrolled: number }, checkPage: () => Promise<void>): Promise<void> {
  const start = page.getByRole('button', { name: t('course.correct.start'), exact: true });
  await start.focus();
  await page.keyboard.press('Enter');
  const step = page.getByRole('group', { name: t('course.correct.confirmTitle', { title: course.title }), exact: true });
  const title = step.getByLabel(t('course.correct.title'), { exact: true });
  const capacity = step.getByLabel(t('course.correct.capacity'), { exact: true });
  const startDate = step.getByLabel(t('course.correct.startDate'), { exact: true });
  const endDate = step.getByLabel(t('course.correct.endDate'), { exact: true });
  const reason = step.getByLabel(t('course.correct.reason'), { exact: true });
  const confirm = step.getByRole('button', { name: t('course.correct.confirm'), exact: true });
  await expectFocused(title);
  const describedBy = ((await title.getAttribute('aria-describedby')) ?? '').split(' ');
  expect(await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()))).toEqual([t('course.correct.what'), t('course.correct.holds', { enrolled: course.enrolled })]);
  expect(await title.inputValue()).toBe(course.title);

  // Nothing changed: said, nothing sent.
  await confirm.focus();
  await page.keyboard.press('Enter');
  await step.getByText(t('course.correct.unchanged'), { exact: true }).waitFor();
  // No seats: said at the field, the focus there.
  await capacity.fill('0');
  await confirm.click();
  await expectSaidAtField(capacity, t('course.correct.capacityRule'));
  await expectFocused(capacity);
  // A changed course without a reason: said at the reason's field.
  await capacity.fill('2');
  await title.fill(`${course.title}（更正）`);
  await confirm.click();
  await expectSaidAtField(reason, t('course.correct.reasonRequired'));
  await expectFocused(reason);
  await checkPage();
  // An end before the enrolment of 2021-03-02: the server's refusal said at the end date's field.
  await reason.fill('结业日期录入错误');
  await startDate.fill('2021-02-01');
  await endDate.fill('2021-03-01');
  await confirm.click();
  await expectSaidAtField(endDate, t('rule.enrolled_after_course_end'));
  await expectFocused(endDate);

  // Corrected: the page shows the new title, dates and seats, and the line saying so holds the focus.
  await startDate.fill('2021-03-01');
  await endDate.fill('2021-07-15');
  await confirm.click();
  await expectFocused(page.getByRole('status').filter({ hasText: t('course.corrected') }));
  await page.getByRole('heading', { level: 1, name: `${course.title}（更正）`, exact: true }).waitFor();
  await page.getByText('2021-03-01 – 2021-07-15', { exact: true }).waitFor();
  expect(await page.getByTestId('seats').innerText()).toBe(t('course.seatsTaken', { enrolled: course.enrolled, capacity: 2 }));
}
