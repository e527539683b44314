import { http } from '@skills/testing';
import { Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField } from '../page-checks';
import { daysAgo, evaluatorWithPerson, WELDER } from './evaluator-setup';
import { WorkspaceContext } from './workspace-context';

/**
 * An evaluator's staff user voids a certificate recorded in error, by the keyboard: the step says what voiding
 * does and that it is not a revocation, with the reason field. The junior certificate the intermediate one was
 * judged on is refused, the refusal naming the intermediate one; the intermediate one, voided, leaves the list
 * (whatever the status filter) and the line saying so tells the level fallen back to junior, as the certify
 * form then shows it.
 */
export async function evaluatorVoidFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { host } = context;
  // This flow's numbers (31_300–31_399): one credit code and one identity number per locale.
  const n = 31_300 + (locale === 'en' ? 1 : 0);
  const { evaluatorId, staff, asStaff, idNumber, name, traineeId } = await evaluatorWithPerson(context, locale, n, '株洲市数控技能评价中心', locale === 'en' ? '慕容子轩' : '令狐晓月');
  const numbers: string[] = [];
  for (const [level, certifiedOn] of [['junior', daysAgo(400)], ['intermediate', daysAgo(100)]]) {
    const certified = await http(host.baseUrl, 'POST', '/api/v1/certifications', { traineeId, occupationCode: WELDER, level, route: 'assessment', evaluatorId, certifiedOn }, asStaff);
    if (certified.status !== 201) throw new Error(`certifying ${level} answered ${certified.status}: ${JSON.stringify(certified.body)}`);
    numbers.push(certified.body.certificateNumber as string);
  }
  const [junior, intermediate] = numbers;

  const page = await context.newPage();
  await context.signIn(page, staff, locale);
  await page.getByRole('link', { name: t('nav.evaluatorCertificates'), exact: true }).click();
  await page.getByRole('heading', { name: t('evaluator.certificates.title'), exact: true }).waitFor();
  await page.getByRole('button', { name: t('common.search'), exact: true }).click();
  const rowOf = (number: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: number, exact: true }) });
  await rowOf(intermediate).waitFor();

  // Opened by the keyboard: the focus goes to the reason, which is heard with what voiding does and how it is not a revocation.
  const startJunior = rowOf(junior).getByRole('button', { name: t('evaluator.void.startFor', { number: junior }), exact: true });
  await startJunior.focus();
  await page.keyboard.press('Enter');
  const step = page.getByRole('group', { name: t('evaluator.void.confirmTitle', { number: junior }), exact: true });
  const reason = step.getByLabel(t('evaluator.void.reason'), { exact: true });
  await expectFocused(reason);
  const describedBy = ((await reason.getAttribute('aria-describedby')) ?? '').split(' ');
  expect(await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()))).toEqual([t('evaluator.void.what'), t('evaluator.void.notRevocation'), t('hint.keptForGood')]);
  // Confirmed without a reason: said at the field, the focus back there, nothing sent.
  const confirm = step.getByRole('button', { name: t('evaluator.void.confirm'), exact: true });
  await confirm.focus();
  await page.keyboard.press('Enter');
  await expectSaidAtField(reason, t('evaluator.void.reasonRequired'));
  await expectFocused(reason);
  await context.checkPage(page, locale, 'evaluator-void');

  // The intermediate certificate was judged on the junior one: refused, in words naming it.
  await page.keyboard.type('导入时等级填错');
  await confirm.focus();
  await page.keyboard.press('Enter');
  const refusal = step.getByRole('alert');
  await refusal.getByText(t('rule.later_certificate_stands_on_it'), { exact: true }).waitFor();
  await refusal.getByText(t('evaluator.void.laterStandsAt', { later: intermediate, level: t('level.intermediate'), date: daysAgo(100) }), { exact: true }).waitFor();
  await context.checkPage(page, locale);
  // Cancelled, the focus is back on the button that opened the step.
  await step.getByRole('button', { name: t('common.cancel'), exact: true }).click();
  await expectFocused(startJunior);

  // The intermediate one, voided: gone from the list, the line saying so tells the level left (junior), and holds the focus.
  await rowOf(intermediate).getByRole('button', { name: t('evaluator.void.startFor', { number: intermediate }), exact: true }).click();
  await page.getByRole('group', { name: t('evaluator.void.confirmTitle', { number: intermediate }), exact: true }).getByLabel(t('evaluator.void.reason'), { exact: true }).fill('导入时等级填错');
  await page.getByRole('button', { name: t('evaluator.void.confirm'), exact: true }).click();
  const voided = page.getByRole('status').filter({ hasText: t('evaluator.certificates.voided', { number: intermediate, level: t('level.junior') }) });
  await expectFocused(voided);
  await rowOf(intermediate).waitFor({ state: 'detached' });
  await rowOf(junior).waitFor();
  // Not kept as revoked either: a voided certificate is as if never recorded.
  await page.getByLabel(t('evaluator.certificates.status'), { exact: true }).selectOption('revoked');
  await page.getByRole('button', { name: t('common.search'), exact: true }).click();
  await rowOf(junior).waitFor({ state: 'detached' });
  expect(await rowOf(intermediate).count()).toBe(0);
  await context.checkPage(page, locale);

  // The certify form reads the person's level: junior again.
  await page.getByRole('link', { name: t('nav.evaluatorCertify'), exact: true }).click();
  await page.getByRole('heading', { name: t('evaluator.certify.title'), exact: true }).waitFor();
  await page.getByLabel(t('trainee.idNumber'), { exact: true }).fill(idNumber);
  await page.getByLabel(t('trainee.name'), { exact: true }).fill(name);
  await page.getByRole('button', { name: t('evaluator.lookup.submit'), exact: true }).click();
  await page.getByLabel(t('course.occupation'), { exact: true }).fill(WELDER);
  await page.getByText(t('evaluator.certify.currentLevel', { level: t('level.junior') }), { exact: true }).waitFor();
}
