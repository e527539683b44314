import { bearer, http, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Locator, Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField, switchLocale } from '../page-checks';
import { WorkspaceContext } from './workspace-context';
import { followNavLink } from './trainee';

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

/** The number as a Chinese input method in full-width mode types it: ４３０２…, and Ｘ. */
const fullWidth = (idNumber: string) => idNumber.replace(/[0-9X]/g, (character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0));

/** A real paste (Ctrl+V from the clipboard), as a clerk copies a number from a document: the browser's own insertion, which a maxlength cuts. */
async function paste(field: Locator, text: string): Promise<void> {
  const page = field.page();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((value) => (globalThis as unknown as { navigator: { clipboard: { writeText(text: string): Promise<void> } } }).navigator.clipboard.writeText(value), text);
  await field.fill('');
  await field.focus();
  await page.keyboard.press('Control+V');
}

/**
 * The identity number however it arrives: pasted with the spaces of a printed form between its parts, or
 * with a space before it, it keeps all 18 characters (the field cuts after leaving out what is not a digit
 * or X, not before); typed in full-width digits it is the same number.
 */
async function identityNumberTypedAnyHow(field: Locator, idNumber: string): Promise<void> {
  const typed: [string, (text: string) => Promise<void>][] = [
    [`${idNumber.slice(0, 6)} ${idNumber.slice(6, 14)} ${idNumber.slice(14)}`, (text) => paste(field, text)],
    [` ${idNumber}`, (text) => paste(field, text)],
    [fullWidth(idNumber), (text) => field.fill(text)],
  ];
  const kept: [string, string][] = [];
  for (const [text, enter] of typed) {
    await enter(text);
    kept.push([text, await field.inputValue()]);
  }
  expect(kept).toEqual(typed.map(([text]) => [text, idNumber]));
}

/**
 * A school clerk, its organisation unrelated to the worker the employer registered: a search asked again
 * with the same term asks the API again (a trainee registered meanwhile in another tab is found), and
 * the worker's number, registered elsewhere, is refused with the way on (the courses' rosters, where the
 * school finds them by number and name) and no link to an archive the school may not read.
 */
async function schoolClerkRegistering(context: WorkspaceContext, locale: Locale, workerIdNumber: string): Promise<void> {
  const t = wordsOf(locale);
  const base = context.host.baseUrl;
  const provider = await http(base, 'POST', '/api/v1/providers', { name: `株洲激活账号职业培训学校${locale}`, creditCode: testCreditCode(SERIAL[locale] + 1), regionCode: '430200' }, bearer(context.adminToken));
  if (provider.status !== 201) throw new Error(`POST /api/v1/providers: ${provider.status} ${JSON.stringify(provider.body)}`);
  const clerk = await context.newUser({ role: 'school_staff', organisationId: provider.body.id as string });
  const listPage = await context.newPage();
  await context.signIn(listPage, clerk, locale);
  await listPage.goto(`${base}/school/trainees`);
  await listPage.getByRole('heading', { name: t('trainees.title') }).waitFor();

  // The school's new trainee's number is searched before they are registered: nobody yet.
  const idNumber = testAdultIdentityNumber(SERIAL[locale] + 2);
  const name = locale === 'en' ? '李校英' : '李校中';
  // The school has no trainees yet: its list, read on opening the page, is empty.
  await listPage.getByRole('status').filter({ hasText: t('common.noneFound') }).waitFor();
  await listPage.getByLabel(t('trainees.search')).fill(idNumber.slice(-6));
  const answered = listPage.waitForResponse((response) => response.url().endsWith('/api/v1/trainees/search'));
  await listPage.getByRole('button', { name: t('common.search'), exact: true }).click();
  expect((await (await answered).json()).items).toEqual([]);

  // Registered meanwhile in another tab (signed in there: a tab keeps its own session), the number typed in full-width digits.
  const registerPage = await context.newPage();
  await context.signIn(registerPage, clerk, locale);
  await registerPage.goto(`${base}/school/trainees/new`);
  await registerPage.getByRole('heading', { name: t('register.title') }).waitFor();
  const nameField = registerPage.getByLabel(t('trainee.name'));
  const phoneField = registerPage.getByLabel(t('trainee.phone'));
  // The one field that may be left empty says so in its label.
  const regionField = registerPage.getByLabel(`${t('trainee.regionCode')}${t('register.optional')}`);
  // Sent without a name and with a 10-digit phone: each is said at its field, and the focus goes to the first.
  await registerPage.getByLabel(t('trainee.idNumber')).fill(fullWidth(idNumber));
  await phoneField.fill('1380000333');
  await registerPage.getByRole('button', { name: t('register.submit') }).click();
  await expectFocused(nameField);
  await expectSaidAtField(nameField, t('register.nameRequired'));
  await expectSaidAtField(phoneField, t('register.phoneRule'));
  // The server's refusal of a field (a region code no region has) is said at that field too, and nothing else is refused.
  await nameField.fill(name);
  // Pasted from a contact card, with the country code and spaces: sent as the 11 digits.
  await phoneField.fill('+86 138 0000 3333');
  expect(await phoneField.getAttribute('aria-invalid')).toBeNull();
  await regionField.fill('999999');
  await registerPage.getByRole('button', { name: t('register.submit') }).click();
  await expectFocused(regionField);
  await expectSaidAtField(regionField, t('fieldRule.isRegionCode'));
  expect(await registerPage.getByRole('alert').count()).toBe(0);
  await context.checkPage(registerPage, locale, 'register-field-refused');
  await regionField.fill('');
  await registerPage.getByRole('button', { name: t('register.submit') }).click();
  await registerPage.getByRole('status').filter({ hasText: t('register.done', { name }) }).waitFor();

  // The same search pressed again asks again, and finds them.
  await listPage.getByRole('button', { name: t('common.search'), exact: true }).click();
  await listPage.getByRole('cell', { name, exact: true }).waitFor();
  // What the search found is said by a status line, for a screen reader too.
  await listPage.getByRole('status').filter({ hasText: t('search.found', { count: 1 }) }).waitFor();
  await listPage.close();

  // The worker's number under another name: refused, saying only that the registering organisation corrects a wrong name (no way to the person).
  await registerPage.getByLabel(t('trainee.name')).fill('张错名');
  await registerPage.getByLabel(t('trainee.idNumber')).fill(workerIdNumber);
  await registerPage.getByLabel(t('trainee.phone')).fill('13800001111');
  await registerPage.getByRole('button', { name: t('register.submit') }).click();
  const otherName = registerPage.getByRole('alert').filter({ hasText: t('rule.identity_number_registered') });
  await otherName.getByText(t('register.elsewhere.otherName')).waitFor();
  expect(await otherName.getByRole('link').count()).toBe(0);

  // The worker's number with their name: registered by the employer, so refused; the way on, not the worker's archive.
  await registerPage.getByLabel(t('trainee.name')).fill(locale === 'en' ? '王激英' : '王激中');
  await registerPage.getByRole('button', { name: t('register.submit') }).click();
  await registerPage.getByText(t('register.elsewhere.otherName')).waitFor({ state: 'detached' });
  const refusal = registerPage.getByRole('alert').filter({ hasText: t('rule.identity_number_registered') });
  await refusal.getByText(t('register.elsewhere.school')).waitFor();
  expect(await refusal.getByRole('link', { name: t('register.elsewhere.toCourses') }).getAttribute('href')).toBe('/school/courses');
  expect(await registerPage.getByRole('link', { name: t('register.openExisting') }).count()).toBe(0);
  await context.checkPage(registerPage, locale, 'register-registered-elsewhere');
  await registerPage.close();
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
  const idNumber = testAdultIdentityNumber(SERIAL[locale] + 1);
  await identityNumberTypedAnyHow(staffPage.getByLabel(t('trainee.idNumber')), idNumber);
  await staffPage.getByLabel(t('trainee.phone')).fill('13800001111');
  await staffPage.getByRole('button', { name: t('register.submit') }).click();
  await staffPage.getByRole('status').filter({ hasText: t('register.done', { name }) }).waitFor();
  // Registered again by the same clerk: refused, with a link to the worker their organisation registered.
  await staffPage.getByLabel(t('trainee.name')).fill(name);
  await staffPage.getByLabel(t('trainee.idNumber')).fill(idNumber);
  await staffPage.getByLabel(t('trainee.phone')).fill('13800001111');
  await staffPage.getByRole('button', { name: t('register.submit') }).click();
  await staffPage.getByRole('alert').filter({ hasText: t('rule.identity_number_registered') }).getByRole('link', { name: t('register.openExisting') }).waitFor();
  await schoolClerkRegistering(context, locale, idNumber);
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

  // The clerk asks for another code now: none is issued, and the page says why in words for staff (not rule.trainee_has_user's, said to the worker).
  await staffPage.getByRole('button', { name: t('activation.issue.again') }).click();
  await staffPage.getByRole('alert').getByText(t('activation.refused.traineeHasUser'), { exact: true }).waitFor();
  // The code shown before, which opened the account, is not left beside it.
  if ((await staffPage.locator('[data-code]').count()) !== 0) throw new Error('the redeemed code is still shown beside the refusal');
  await staffPage.close();

  // Their details, read in full, and the mobile number corrected.
  await followNavLink(page, t, 'nav.myDetails');
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
