import { adminToken, bearer, http, signInAs, testAdultIdentityNumber, testCreditCode } from '@skills/testing';
import { Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

const WELDER = '6-18-02-04';

/**
 * An employer's staff user voids hires recorded in error on its employments, by the keyboard: the step says
 * what voiding does and that it is not ending the employment, with the reason field (said at the field when
 * empty). The active employment, voided, leaves the list and the line saying so holds the focus; an ended one
 * may be voided too; the placement's openings are then all free again. Data set up through the API.
 */
export async function employerVoidFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const baseUrl = context.host.baseUrl;
  const asAdmin = async () => bearer(await adminToken(baseUrl));
  const made = async (headers: Record<string, string>, path: string, body: unknown, status = 201) => {
    const answer = await http(baseUrl, 'POST', path, body, headers);
    if (answer.status !== status) throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  // This flow's numbers (33_600–33_699): one credit code and identity numbers of its own per locale.
  const n = 33_600 + (locale === 'en' ? 10 : 0);
  const employer = await made(await asAdmin(), '/api/v1/employers', { name: `株洲错录装备 ${locale}`, creditCode: testCreditCode(n), industryCode: 'C37', regionCode: '430200' });
  const staffApi = await signInAs(baseUrl, { role: 'employer_staff', organisationId: employer.id });
  const person = async (offset: number, name: string) => (await made(await asAdmin(), '/api/v1/trainees', { name, idNumber: testAdultIdentityNumber(n + offset), phone: '13800000000' })).id as string;
  const [wrongPerson, leaver] = [{ name: locale === 'en' ? '欧阳错录' : '上官错录', id: await person(0, locale === 'en' ? '欧阳错录' : '上官错录') }, { name: '周已离', id: await person(1, '周已离') }];
  const placement = (await made(bearer(await staffApi.renew()), '/api/v1/placements', { employerId: employer.id, title: `错录焊工 ${locale}`, occupationCode: WELDER, openings: 2, wageMin: 6000, wageMax: 9000, regionCode: '430211' })).id as string;
  let leaversEmployment = '';
  for (const hired of [leaver, wrongPerson]) {
    const { employmentId } = await made(bearer(await staffApi.renew()), `/api/v1/placements/${placement}/hires`, { traineeId: hired.id, startDate: '2021-07-01', monthlyWage: 8000 });
    if (hired === leaver) {
      leaversEmployment = employmentId;
      await made(bearer(await staffApi.renew()), `/api/v1/employments/${employmentId}/end`, { endDate: '2021-09-01', reason: '合同期满' }, 200);
    }
  }

  const page = await context.newPage();
  await context.signIn(page, await context.newUser({ role: 'employer_staff', organisationId: employer.id }), locale);
  await page.goto(`${baseUrl}/employer/employments`);
  await page.getByRole('heading', { name: t('employer.employments.title'), level: 1 }).waitFor();
  const rowOf = (name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  await rowOf(wrongPerson.name).waitFor();

  // Opened by the keyboard: the focus goes to the reason, which is heard with what voiding does and how it is not ending the employment.
  const start = rowOf(wrongPerson.name).getByRole('button', { name: t('employer.void.startFor', { name: wrongPerson.name }), exact: true });
  await start.focus();
  await page.keyboard.press('Enter');
  const step = page.getByRole('group', { name: t('employer.void.confirmTitle', { name: wrongPerson.name }), exact: true });
  const reason = step.getByLabel(t('employer.void.reason'), { exact: true });
  await expectFocused(reason);
  const describedBy = ((await reason.getAttribute('aria-describedby')) ?? '').split(' ');
  expect(await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()))).toEqual([t('employer.void.what'), t('employer.void.notEnding'), t('hint.keptForGood')]);
  // Confirmed without a reason: said at the field, the focus back there, nothing sent.
  const voidsSent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/void')) voidsSent.push(request.url());
  });
  const confirm = step.getByRole('button', { name: t('employer.void.confirm'), exact: true });
  await confirm.focus();
  await page.keyboard.press('Enter');
  await expectSaidAtField(reason, t('employer.void.reasonRequired'));
  await expectFocused(reason);
  expect(voidsSent).toEqual([]);
  await context.checkPage(page, locale, 'employer-void');
  // Cancelled, the focus is back on the button that opened the step.
  await step.getByRole('button', { name: t('common.cancel'), exact: true }).click();
  await expectFocused(start);

  // Voided: gone from the list, and the line saying so holds the focus.
  await start.click();
  await reason.fill('录用时选错了人');
  await confirm.click();
  await expectFocused(page.getByRole('status').filter({ hasText: t('employer.employments.voided', { name: wrongPerson.name }) }));
  await rowOf(wrongPerson.name).waitFor({ state: 'detached' });
  await rowOf(leaver.name).waitFor();
  await context.checkPage(page, locale);

  // An ended employment may be voided too (no end step offered on it, the void is). A colleague voids it first,
  // in another tab: confirmed here, its 404 reads the list again, which shows it gone, as the line says.
  const ended = rowOf(leaver.name);
  expect(await ended.getByRole('button', { name: t('employer.end.start', { name: leaver.name }), exact: true }).count()).toBe(0);
  await ended.getByRole('button', { name: t('employer.void.startFor', { name: leaver.name }), exact: true }).click();
  await page.getByRole('group', { name: t('employer.void.confirmTitle', { name: leaver.name }), exact: true }).getByLabel(t('employer.void.reason'), { exact: true }).fill('录用时选错了岗位');
  await made(bearer(await staffApi.renew()), `/api/v1/employments/${leaversEmployment}/void`, { reason: '录用时选错了岗位' }, 200);
  await page.getByRole('button', { name: t('employer.void.confirm'), exact: true }).click();
  await expectFocused(page.getByRole('status').filter({ hasText: t('employer.employments.voided', { name: leaver.name }) }));
  await rowOf(leaver.name).waitFor({ state: 'detached' });
  expect(await page.locator('tbody tr').count()).toBe(0);

  // As if neither hire had been recorded: both openings are free on the placement's page.
  await page.goto(`${baseUrl}/employer/placements/${placement}`);
  await page.getByRole('heading', { name: `错录焊工 ${locale}`, level: 1 }).waitFor();
  expect(await page.getByTestId('openings-left').innerText()).toBe(t('employer.placement.openingsOf', { left: 2, openings: 2 }));
}
