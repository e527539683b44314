import { bearer, http, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
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
}
