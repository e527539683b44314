import { bearer, http, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused } from '../page-checks';
import { ageSessions } from './sessions';
import { WorkspaceContext } from './workspace-context';

/** This area's numbers (47_000–47_999): credit codes and identity numbers per locale, as both locales share the platform. */
const SERIAL: Record<Locale, number> = { 'zh-CN': 47_000, en: 47_500 };

/** A school and one of its clerks, signed in through the API too (to set up what the page shows). */
async function schoolWithClerk(context: WorkspaceContext, locale: Locale, serial: number, name: string) {
  const base = context.host.baseUrl;
  const provider = await http(base, 'POST', '/api/v1/providers', { name: `${name}${locale}`, creditCode: testCreditCode(serial), regionCode: '430200' }, bearer(context.adminToken));
  if (provider.status !== 201) throw new Error(`POST /api/v1/providers: ${provider.status} ${JSON.stringify(provider.body)}`);
  const school = provider.body.id as string;
  await waitFor(async () => {
    const listed = (await http(base, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
    return listed.includes(school) || undefined;
  }, { description: 'the school to reach identity' });
  const clerk = await context.newUser({ role: 'school_staff', organisationId: school });
  const token = await http(base, 'POST', '/oauth/token', { grant_type: 'password', username: clerk.username, password: clerk.password });
  return { school, clerk, token: token.body.access_token as string };
}

/** A command through the API that must succeed: its answer's body. */
async function made(context: WorkspaceContext, token: string, path: string, body: object) {
  const answer = await http(context.host.baseUrl, 'POST', path, body, bearer(token));
  if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function openArchive(page: Page, context: WorkspaceContext, traineeId: string, title: string): Promise<void> {
  await page.goto(`${context.host.baseUrl}/trainees/${traineeId}/archive`);
  await page.getByRole('heading', { name: title }).waitFor();
}

/**
 * The rights of domain.md section 9 on the trainee's archive page: a school clerk corrects the mobile number of
 * a trainee the school registered (a wrong number said at its field before anything is sent, a name with a tab
 * refused by the server at its field), the focus on the line saying it is saved; the clerk has no erasing step.
 * Another school, related by an enrolment, is refused (403) in the console's words: it did not register them.
 * A platform admin erases the personal data of a trainee who has no account, after a step saying it cannot be
 * undone and what stays, and the archive then shows the erased state; eleven minutes after signing in, the erasure
 * is refused with the way to sign in again, back to the archive.
 */
export async function archiveStepsFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const base = context.host.baseUrl;
  const name = locale === 'en' ? '赵更英' : '赵更中';
  // Registered by the school's clerk: the school is the registering organisation.
  const { clerk, token } = await schoolWithClerk(context, locale, SERIAL[locale], '株洲档案更正职业培训学校');
  const traineeId = (await made(context, token, '/api/v1/trainees', { name, idNumber: testAdultIdentityNumber(SERIAL[locale] + 1), phone: '13800004444' })).id as string;

  const page = await context.newPage();
  await context.signIn(page, clerk, locale);
  await openArchive(page, context, traineeId, t('archive.title', { name }));
  // The browser's title, kept in its history, names the page but not the person.
  expect(await page.title()).toBe(t('page.title', { heading: t('page.archiveTitle'), app: t('app.name') }));
  const form = page.locator('form', { has: page.getByRole('heading', { name: t('archive.correct.title') }) });
  const phone = form.getByRole('textbox', { name: t('trainee.phone'), exact: true });
  expect(await phone.inputValue()).toBe('13800004444');
  // Erasing is platform_admin's (and the trainee's own): not offered to the school.
  expect(await page.getByRole('button', { name: t('archive.erase.start') }).count()).toBe(0);

  // A number one digit short: said at its field, and the focus there, before anything is sent.
  let patches = 0;
  page.on('request', (request) => {
    if (request.method() === 'PATCH' && request.url().endsWith(`/api/v1/trainees/${traineeId}`)) patches += 1;
  });
  await phone.fill('1390000555');
  await form.getByRole('button', { name: t('me.correct.submit') }).click();
  await form.locator('#archive-correct-phone-error').getByText(t('me.correct.phoneRule')).waitFor();
  expect(await phone.getAttribute('aria-invalid')).toBe('true');
  await expectFocused(phone);
  expect(patches).toBe(0);
  await context.checkPage(page, locale, 'archive-correct');

  // A name holding a tab: the server's refusal (400, errors[] naming the field) is said at the name field.
  const nameField = form.getByRole('textbox', { name: t('trainee.name'), exact: true });
  // In the middle: the ends of a name are trimmed, by the form and by the server.
  await nameField.fill(`${name.slice(0, 1)}\t${name.slice(1)}`);
  await phone.fill('13900005555');
  await form.getByRole('button', { name: t('me.correct.submit') }).click();
  await form.locator('#archive-correct-name-error').getByText(t('fieldRule.control_characters')).waitFor();
  await expectFocused(nameField);
  expect(patches).toBe(1);

  // The server's refusal holds for the name it refused: edited, the field is no longer said wrong.
  await nameField.fill(name);
  expect(await form.locator('#archive-correct-name-error').count()).toBe(0);
  expect(await nameField.getAttribute('aria-invalid')).toBeNull();

  // The number right: saved, the focus on the line saying so. The archive's read that follows fails (the
  // service's trouble): said beside the archive, which stays shown; the page read again shows the correction.
  const isArchiveRead = (url: URL) => url.pathname === `/api/v1/trainees/${traineeId}/archive`;
  await page.route(isArchiveRead, (route) => route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }) }));
  await form.getByRole('button', { name: t('me.correct.submit') }).click();
  await expectFocused(form.getByRole('status').filter({ hasText: t('me.correct.done') }));
  await page.getByRole('alert').filter({ hasText: t('status.503') }).waitFor();
  expect(await page.getByRole('heading', { name: t('archive.title', { name }) }).count()).toBe(1);
  await page.unroute(isArchiveRead);
  const corrected = await http(base, 'GET', `/api/v1/trainees/${traineeId}`, undefined, bearer(context.adminToken));
  expect({ name: corrected.body.name, phone: corrected.body.phone }).toEqual({ name, phone: '13900005555' });
  await page.reload();
  await page.getByRole('heading', { name: t('archive.title', { name }) }).waitFor();
  expect(await phone.inputValue()).toBe('13900005555');
  await page.close();

  // Another school, which enrolled the trainee, reads the archive but did not register them: refused, in the console's words.
  const other = await schoolWithClerk(context, locale, SERIAL[locale] + 3, '株洲档案另一职业培训学校');
  const course = (await made(context, other.token, '/api/v1/courses', { providerId: other.school, title: `档案更正焊工班${locale}`, occupationCode: '6-18-02-04', kind: 'skill', capacity: 30, startDate: '2025-03-01', endDate: '2025-06-30' })).id as string;
  await made(context, other.token, `/api/v1/courses/${course}/enrollments`, { traineeId, enrolledOn: '2025-03-02' });
  await waitFor(async () => (await http(base, 'GET', `/api/v1/trainees/${traineeId}`, undefined, bearer(other.token))).status === 200 || undefined, {
    description: 'the enrolment to relate the other school to the trainee',
  });
  const otherPage = await context.newPage();
  await context.signIn(otherPage, other.clerk, locale);
  await openArchive(otherPage, context, traineeId, t('archive.title', { name }));
  // It is not offered the form (the archive says who registered the trainee), only who corrects them.
  await otherPage.getByText(t('archive.correct.notRegisteredHere')).waitFor();
  expect(await otherPage.getByRole('heading', { name: t('archive.correct.title') }).count()).toBe(0);
  expect(await otherPage.getByRole('textbox', { name: t('trainee.phone'), exact: true }).count()).toBe(0);
  await context.checkPage(otherPage, locale);
  await otherPage.close();

  // A trainee with no account, registered by the platform admin, erased by a platform admin on the archive page.
  const otherName = locale === 'en' ? '钱删英' : '钱删中';
  const otherId = (await made(context, context.adminToken, '/api/v1/trainees', { name: otherName, idNumber: testAdultIdentityNumber(SERIAL[locale] + 2), phone: '13800006666' })).id as string;
  const admin = await context.newUser({ role: 'platform_admin' });
  const adminPage = await context.newPage();
  await context.signIn(adminPage, admin, locale);
  // Eleven minutes on (the page, opened again, renews its token from the session, which keeps its sign-in's time):
  // refused, nothing erased, with the way to sign in again, back to this archive.
  await ageSessions(context.databaseUrl, admin.userId, 11);
  await openArchive(adminPage, context, otherId, t('archive.title', { name: otherName }));
  const start = adminPage.getByRole('button', { name: t('archive.erase.start') });
  const step = adminPage.getByRole('group', { name: t('archive.erase.confirmLabel') });
  await start.click();
  await step.getByRole('button', { name: t('archive.erase.confirm') }).click();
  await step.getByRole('alert').filter({ hasText: t('rule.recent_sign_in_required') }).waitFor();
  await context.checkPage(adminPage, locale);
  expect((await http(base, 'GET', `/api/v1/trainees/${otherId}`, undefined, bearer(context.adminToken))).body.name).toBe(otherName);
  await step.getByRole('button', { name: t('admin.apiKeys.signInAgain') }).click();
  await adminPage.waitForURL(/\/sign-in\?next=/);
  // Signed out, the page is in the browser's language until the user's preferences are read again.
  const signInWords = wordsOf((await adminPage.locator('html').getAttribute('lang')) === 'en' ? 'en' : 'zh-CN');
  await adminPage.getByLabel(signInWords('signIn.username')).fill(admin.username);
  await adminPage.getByLabel(signInWords('signIn.password')).fill(admin.password);
  await adminPage.getByRole('button', { name: signInWords('signIn.submit') }).click();
  await adminPage.waitForURL(`**/trainees/${otherId}/archive`);
  await adminPage.getByRole('heading', { name: t('archive.title', { name: otherName }) }).waitFor();
  await start.click();
  await step.getByText(t('archive.erase.confirmTitle')).waitFor();
  const confirm = step.getByRole('button', { name: t('archive.erase.confirm') });
  await expectFocused(confirm);
  await context.checkPage(adminPage, locale, 'archive-erase-confirm');
  // Cancel goes back to the button that opened the step; opened again, confirmed.
  await step.getByRole('button', { name: t('common.cancel') }).click();
  await expectFocused(start);
  await start.click();
  // The archive's read after the erasure is held until the step is seen closed: it does not stand open meanwhile.
  const isErasedRead = (url: URL) => url.pathname === `/api/v1/trainees/${otherId}/archive`;
  let releaseRead!: () => void;
  const readReleased = new Promise<void>((resolve) => (releaseRead = resolve));
  await adminPage.route(isErasedRead, async (route) => {
    await readReleased;
    await route.fallback();
  });
  await confirm.click();
  await step.waitFor({ state: 'detached' });
  releaseRead();

  // The erased state: said, with the focus on it; no name in the title, no steps left to take.
  await expectFocused(adminPage.getByRole('status').filter({ hasText: t('archive.erasedState') }));
  await adminPage.getByRole('heading', { name: t('archive.title', { name: t('archive.erased') }) }).waitFor();
  expect(await adminPage.getByText(otherName).count()).toBe(0);
  expect(await adminPage.getByRole('button', { name: t('archive.erase.start') }).count()).toBe(0);
  expect(await adminPage.getByRole('heading', { name: t('archive.correct.title') }).count()).toBe(0);
  await context.checkPage(adminPage, locale, 'archive-erased');
  await adminPage.unroute(isErasedRead);
  const erased = await http(base, 'GET', `/api/v1/trainees/${otherId}`, undefined, bearer(context.adminToken));
  expect({ name: erased.body.name, phone: erased.body.phone, erased: erased.body.personalDataErased }).toEqual({ name: null, phone: null, erased: true });
  await adminPage.close();
}
