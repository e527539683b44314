import { http } from '@skills/testing';
import { Locator, Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused, loseFirstAnswer } from '../page-checks';
import { daysAgo, evaluatorWithPerson, WELDER } from './evaluator-setup';
import { WorkspaceContext } from './workspace-context';

// The browser's own, in a function run in the page (the e2e code is compiled without the DOM's types).
declare const getComputedStyle: any;

/**
 * An evaluator's staff user finds a person certified junior (by identity number and name), is shown the
 * refusing rule of an exceptional promotion three levels up before submitting it, certifies two levels
 * up instead, finds the certificate in its list and revokes it with a reason (warned that the reason is
 * kept for good), the answer of the first press lost on its way back; the holder's name leads to their
 * archive, and the junior certificate is found again by its number alone.
 */
export async function evaluatorFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { host } = context;
  const n = 31_000 + (locale === 'en' ? 1 : 0);

  // Set up through the API: the evaluator, its staff user, a person it certified junior by assessment.
  const { evaluatorId, staff, asStaff, traineeId, idNumber, name } = await evaluatorWithPerson(context, locale, n, '株洲市焊接技能评价中心', locale === 'en' ? '欧阳明远' : '上官云舒');
  const junior = await http(
    host.baseUrl,
    'POST',
    '/api/v1/certifications',
    { traineeId, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId, certifiedOn: daysAgo(60) },
    asStaff,
  );
  if (junior.status !== 201) throw new Error(`certifying junior answered ${junior.status}: ${JSON.stringify(junior.body)}`);

  // Find the person: the identity number is checked as typed, then looked up with the name.
  const page = await context.newPage();
  await context.signIn(page, staff, locale);
  await page.getByRole('link', { name: t('nav.evaluatorCertify'), exact: true }).click();
  await page.getByRole('heading', { name: t('evaluator.certify.title'), exact: true }).waitFor();
  await page.getByLabel(t('trainee.idNumber'), { exact: true }).fill(idNumber);
  await page.getByLabel(t('trainee.name'), { exact: true }).fill(name);
  await context.checkPage(page, locale);
  await page.getByRole('button', { name: t('evaluator.lookup.submit'), exact: true }).click();

  // The form shows the current level in the occupation and offers the routes that reach a level from it.
  await page.getByLabel(t('course.occupation'), { exact: true }).fill(WELDER);
  await page.getByText(t('evaluator.certify.currentLevel', { level: t('level.junior') }), { exact: true }).waitFor();
  const route = page.getByLabel(t('evaluator.certify.route'), { exact: true });
  expect(await route.locator('option').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value))).toEqual(['assessment', 'exceptional']);
  await route.selectOption('exceptional');
  const level = page.getByLabel(t('evaluator.certify.level'), { exact: true });
  await level.selectOption('technician');
  await page.getByLabel(t('evaluator.certify.reason'), { exact: true }).selectOption('competition_award');
  await page.getByLabel(t('evaluator.certify.evidence'), { exact: true }).fill('湘人社函〔2026〕12号');
  const submit = page.getByRole('button', { name: t('evaluator.certify.submit'), exact: true });
  const check = page.getByRole('button', { name: t('evaluator.certify.check'), exact: true });
  expect(await submit.isDisabled()).toBe(true);

  // The certification's date, cleared, is said wrong at its field, and the check stops there: nothing is asked.
  const certifiedOn = page.getByLabel(t('evaluator.certify.certifiedOn'), { exact: true });
  await certifiedOn.fill('');
  await page.getByText(t('common.dateRequired'), { exact: true }).waitFor();
  expect(await certifiedOn.getAttribute('aria-invalid')).toBe('true');
  await check.click();
  await expectFocused(certifiedOn);
  await certifiedOn.fill(daysAgo(1));

  // Three levels up: the dry run names the rule before anything is submitted, and submitting stays closed.
  await check.click();
  await page.getByText(t('rule.exceptional_more_than_two_rungs'), { exact: true }).waitFor();
  expect(await submit.isDisabled()).toBe(true);
  await context.checkPage(page, locale, 'evaluator-certify');

  // Two levels up passes the check, and is certified.
  await level.selectOption('senior');
  expect(await submit.isDisabled()).toBe(true);
  await check.click();
  await page.getByText(t('evaluator.certify.wouldPass', { from: t('level.junior'), to: t('level.senior') }), { exact: true }).waitFor();
  await submit.click();
  const issued = page.getByRole('status').filter({ hasText: t('evaluator.certify.issued') }).getByRole('link');
  await issued.waitFor();
  // The issued certificate clears the check, which disables the certify button: focus is on the line with its number.
  await expectFocused(page.getByRole('status').filter({ hasText: t('evaluator.certify.issued') }));
  // The lookup is cleared: the person's full identity number and name do not stay on the screen.
  expect(await page.getByLabel(t('trainee.idNumber'), { exact: true }).inputValue()).toBe('');
  expect(await page.getByLabel(t('trainee.name'), { exact: true }).inputValue()).toBe('');
  const number = await issued.innerText();
  expect(number).toMatch(/^[SY][0-9A-Z]{4}[0-9]{17}$/);
  await page.getByText(t('evaluator.certify.currentLevel', { level: t('level.senior') }), { exact: true }).waitFor();
  await context.checkPage(page, locale);

  // The list shows it (a link to its verification page); revoked with a reason, in place.
  await page.getByRole('link', { name: t('nav.evaluatorCertificates'), exact: true }).click();
  await page.getByRole('heading', { name: t('evaluator.certificates.title'), exact: true }).waitFor();
  await page.getByLabel(t('evaluator.certify.level'), { exact: true }).selectOption('senior');
  await page.getByLabel(t('evaluator.certificates.status'), { exact: true }).selectOption('valid');
  await page.getByRole('button', { name: t('common.search'), exact: true }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: number, exact: true }) });
  await row.waitFor();
  expect(await page.getByRole('link', { name: number, exact: true }).getAttribute('href')).toBe(`/verify/${number}`);
  await row.getByRole('cell', { name, exact: true }).waitFor();
  // The holder's name leads to their archive, which the evaluator's staff may read.
  expect(await row.getByRole('link', { name, exact: true }).getAttribute('href')).toBe(`/trainees/${traineeId}/archive`);
  await context.checkPage(page, locale, 'evaluator-certificates');
  await expectTableScrollsOnPhone(page, page.getByRole('link', { name: number, exact: true }));
  await row.getByRole('button', { name: t('evaluator.revoke.startFor', { number }), exact: true }).click();
  const reason = '考核材料不实';
  const reasonField = page.getByLabel(t('evaluator.revoke.reason'), { exact: true });
  await reasonField.fill(reason);
  // The reason outlives any erasure of the holder's data: the field says so, tied to it for those who hear it.
  const hint = await reasonField.getAttribute('aria-describedby');
  expect(await page.locator(`[id="${hint}"]`).innerText()).toBe(t('hint.keptForGood'));
  await context.checkPage(page, locale);
  // The first answer is lost on its way back (the certificate is revoked all the same): said as a failure;
  // pressed again, the same Idempotency-Key has the API answer the first, not refuse it as already revoked.
  const revocationKeys = await loseFirstAnswer(page, `**/api/v1/certificates/${number}/revocation`);
  await page.getByRole('button', { name: t('evaluator.revoke.confirm'), exact: true }).click();
  await row.getByRole('alert').filter({ hasText: t('common.failed') }).waitFor();
  await page.getByRole('button', { name: t('evaluator.revoke.confirm'), exact: true }).click();
  // Filtered to valid ones, it leaves the list; with every status it is there, revoked.
  await row.waitFor({ state: 'detached' });
  await page.unroute(`**/api/v1/certificates/${number}/revocation`);
  expect(revocationKeys).toHaveLength(2);
  expect(revocationKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(revocationKeys[1]).toBe(revocationKeys[0]);
  // The step went with its row: focus is on the line saying which certificate was revoked, not lost to <body>.
  await expectFocused(page.getByRole('status').filter({ hasText: t('evaluator.certificates.revoked', { number }) }));
  await page.getByLabel(t('evaluator.certificates.status'), { exact: true }).selectOption('revoked');
  await page.getByRole('button', { name: t('common.search'), exact: true }).click();
  await row.getByText(new RegExp(`${reason}$`)).waitFor();
  await context.checkPage(page, locale);

  // Found by its number alone, whatever its level and status: the junior certificate, and nothing else.
  const juniorNumber = junior.body.certificateNumber as string;
  await page.getByLabel(t('evaluator.certify.level'), { exact: true }).selectOption('');
  await page.getByLabel(t('evaluator.certificates.status'), { exact: true }).selectOption('');
  await page.getByLabel(t('evaluator.certificates.number'), { exact: true }).fill(juniorNumber);
  await page.getByRole('button', { name: t('common.search'), exact: true }).click();
  await row.waitFor({ state: 'detached' });
  const juniorRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: juniorNumber, exact: true }) });
  await juniorRow.waitFor();
  expect(await page.locator('tbody').getByRole('row').count()).toBe(1);
  await context.checkPage(page, locale);
}

/**
 * On a phone the list's table scrolls sideways rather than squeezing its columns: wider than its box, and
 * `value` (a certificate number) on one line, not split over several. The page's size is put back after.
 */
async function expectTableScrollsOnPhone(page: Page, value: Locator): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 812 });
  try {
    const table = page.locator('table').filter({ has: value });
    const { scrollWidth, clientWidth } = await table.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
    if (scrollWidth <= clientWidth) throw new Error(`the table is squeezed into ${clientWidth} px on a phone instead of scrolling`);
    const { height, lineHeight } = await value.evaluate((element) => ({ height: element.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(element).lineHeight) }));
    if (height > lineHeight * 1.5) throw new Error(`the certificate number takes ${height} px on a phone, lines of ${lineHeight} px`);
  } finally {
    if (before) await page.setViewportSize(before);
  }
}
