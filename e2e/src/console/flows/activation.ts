import { bearer, http, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { switchLocale } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

/** This area's numbers (35_000–35_999): one credit code and one identity number per locale, as both locales share the platform. */
const SERIAL: Record<Locale, number> = { 'zh-CN': 35_000, en: 35_500 };

/** An employer and one of its clerks, a user who signs in on the page (employers register the people they hire: domain.md section 9). */
async function employerClerk(context: WorkspaceContext, locale: Locale) {
  const base = context.host.baseUrl;
  const created = await http(base, 'POST', '/api/v1/employers', { name: `株洲激活账号装备${locale}`, creditCode: testCreditCode(SERIAL[locale]), industryCode: 'C37', regionCode: '430200' }, bearer(context.adminToken));
  if (created.status !== 201) throw new Error(`POST /api/v1/employers: ${created.status} ${JSON.stringify(created.body)}`);
  const employer = created.body.id as string;
  await waitFor(async () => {
    const listed = (await http(base, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
    return listed.includes(employer) || undefined;
  }, { description: 'the employer to reach identity' });
  return context.newUser({ role: 'employer_staff', organisationId: employer });
}

/**
 * A worker's own account, from the employer's activation code to erasing their personal data: the
 * employer's clerk registers the worker on the register page and issues the code on their archive page;
 * the worker, in a browser of their own, opens the account at /activate (reached from the sign-in page; a
 * short password and a username taken are refused at their fields), is signed in in the language they opened it in, corrects their mobile
 * number, and erases their personal data after a step saying it cannot be undone.
 */
export async function activationFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const base = context.host.baseUrl;
  const clerk = await employerClerk(context, locale);
  const name = locale === 'en' ? '王激英' : '王激中';

  // The employer's clerk registers the worker on the register page, and opens their archive from there.
  const staffPage = await context.newPage();
  await context.signIn(staffPage, clerk, locale);
  await staffPage.goto(`${base}/school/trainees/new`);
  await staffPage.getByRole('heading', { name: t('register.title') }).waitFor();
  await staffPage.getByLabel(t('trainee.name')).fill(name);
  await staffPage.getByLabel(t('trainee.idNumber')).fill(testAdultIdentityNumber(SERIAL[locale] + 1));
  await staffPage.getByLabel(t('trainee.phone')).fill('13800001111');
  await staffPage.getByRole('button', { name: t('register.submit') }).click();
  await staffPage.getByRole('status').filter({ hasText: t('register.done', { name }) }).waitFor();
  await staffPage.getByRole('link', { name: t('trainees.openArchive', { name }) }).click();
  await staffPage.waitForURL('**/trainees/*/archive');
  const traineeId = staffPage.url().split('/trainees/')[1].split('/')[0];

  // The clerk issues the code: shown once, with its expiry and the words to hand it over in person.
  await staffPage.getByRole('heading', { name: t('archive.title', { name }) }).waitFor();
  await staffPage.getByRole('button', { name: t('activation.issue.submit') }).click();
  const issued = staffPage.getByRole('status').filter({ hasText: t('activation.issue.handOver') });
  await issued.getByText(t('activation.issue.expiresAt')).waitFor();
  const code = await issued.locator('[data-code]').getAttribute('data-code');
  if (!code || !/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(code)) throw new Error(`the archive page shows no activation code: ${code}`);
  await context.checkPage(staffPage, locale, 'archive-activation-code');
  await staffPage.close();

  // The worker, on a phone of their own: from the sign-in page to /activate.
  const page = await context.newPage({ width: 360, height: 740 });
  await page.goto(`${base}/sign-in`);
  await switchLocale(page, locale);
  await page.getByRole('link', { name: t('signIn.activate') }).click();
  await page.waitForURL('**/activate');
  await page.getByRole('heading', { name: t('activate.title') }).waitFor();
  const form = page.locator('form');
  const password = `pw-${randomUUID()}`;
  await form.getByLabel(t('activation.code')).fill(code.toLowerCase());
  // The clerk's username is taken: the server's refusal is said at the username field.
  await form.getByLabel(t('activate.username')).fill(clerk.username);
  // A short password is said at its field before anything is sent.
  await form.getByLabel(t('activate.password'), { exact: true }).fill('short');
  await form.getByLabel(t('activate.passwordAgain')).fill('short');
  await form.getByRole('button', { name: t('activate.submit') }).click();
  await form.locator('#password-error').getByText(t('activate.passwordShort')).waitFor();
  await form.getByLabel(t('activate.password'), { exact: true }).fill(password);
  await form.getByLabel(t('activate.passwordAgain')).fill(password);
  await form.getByRole('button', { name: t('activate.submit') }).click();
  await form.locator('#username-error').getByText(t('rule.username_taken')).waitFor();
  if ((await form.getByLabel(t('activate.username')).getAttribute('aria-invalid')) !== 'true') throw new Error('the taken username is not marked invalid');
  await context.checkPage(page, locale, 'activate');

  // A username of their own: the account opens and the worker is signed in with it, on their own pages.
  const username = `worker.${randomUUID().slice(0, 8)}`;
  await form.getByLabel(t('activate.username')).fill(username);
  await form.getByRole('button', { name: t('activate.submit') }).click();
  await page.waitForURL('**/me/archive');
  // In the language the account was opened in, which is saved with the new user, to follow them to another device.
  await page.getByRole('heading', { name: t('me.archiveTitle') }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe(locale);
  const token = await http(base, 'POST', '/oauth/token', { grant_type: 'password', username, password });
  await waitFor(async () => {
    const me = await http(base, 'GET', '/api/v1/me', undefined, bearer(token.body.access_token as string));
    return (me.body.preferencesChosen === true && me.body.preferences.locale === locale) || undefined;
  }, { description: `the new account's preferences saved as ${locale}` });

  // Their details, read in full, and the mobile number corrected.
  await page.getByRole('link', { name: t('nav.myDetails') }).click();
  await page.getByRole('heading', { name: t('me.detailsTitle'), exact: true }).waitFor();
  await page.locator('dd[data-field="name"]').getByText(name, { exact: true }).waitFor();
  await page.locator('dd[data-field="phone"]').getByText('13800001111', { exact: true }).waitFor();
  await page.getByRole('textbox', { name: t('trainee.phone'), exact: true }).fill('13900002222');
  await page.getByRole('button', { name: t('me.correct.submit') }).click();
  await page.getByRole('status').filter({ hasText: t('me.correct.done') }).waitFor();
  await page.locator('dd[data-field="phone"]').getByText('13900002222', { exact: true }).waitFor();
  await context.checkPage(page, locale, 'trainee-details');

  // Erasing: the step says what goes and that it cannot be undone; confirmed, the page says it was done.
  await page.getByRole('button', { name: t('me.erase.start') }).click();
  const step = page.getByRole('group', { name: t('me.erase.confirmLabel') });
  await step.getByText(t('me.erase.confirmTitle')).waitFor();
  await context.checkPage(page, locale, 'trainee-erase-confirm');
  await step.getByRole('button', { name: t('me.erase.confirm') }).click();
  await page.waitForURL('**/me/erased');
  await page.getByRole('heading', { name: t('me.erased.title') }).waitFor();
  await page.getByRole('status').filter({ hasText: t('me.erased.text') }).waitFor();
  await context.checkPage(page, locale, 'trainee-erased');

  // And it was: no answer shows the name or the phone any more, and the account no longer signs in.
  const trainee = await http(base, 'GET', `/api/v1/trainees/${traineeId}`, undefined, bearer(context.adminToken));
  expect({ status: trainee.status, name: trainee.body.name, phone: trainee.body.phone, erased: trainee.body.personalDataErased }).toEqual({ status: 200, name: null, phone: null, erased: true });
  const signIn = await http(base, 'POST', '/oauth/token', { grant_type: 'password', username, password });
  expect({ status: signIn.status, rule: signIn.body.rule }).toEqual({ status: 401, rule: 'invalid_grant' });
  await page.close();
}
