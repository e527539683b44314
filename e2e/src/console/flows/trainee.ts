import { Role } from '@skills/contracts';
import { bearer, http, signInAs, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { Download, Locator, Page } from 'playwright-core';
import { decodeQr, Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField, switchLocale } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

// The browser's globals, in the functions run in the page (the e2e code is compiled without the DOM's types).
declare const document: any;
declare const window: any;

const WELDER = '6-18-02-04';
const ELECTRICIAN = '6-31-01-03';


/** A trainee certified in two occupations through the API (welding, and electrical work since revoked), and their own account. */
async function certifiedTrainee(context: WorkspaceContext, locale: Locale) {
  const base = context.host.baseUrl;
  const serial = locale === 'en' ? 33_500 : 33_000;
  const made = async (token: string, path: string, body: unknown) => {
    const answer = await http(base, 'POST', path, body, bearer(token));
    if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const admin = context.adminToken;
  const provider = (await made(admin, '/api/v1/providers', { name: `株洲学员档案职业培训学校${locale}`, creditCode: testCreditCode(serial + 1), regionCode: '430200' })).id as string;
  const evaluator = (await made(admin, '/api/v1/evaluators', { name: `株洲市学员档案评价中心${locale}`, creditCode: testCreditCode(serial + 2), regionCode: '430200', kind: 'social_organisation' })).id as string;
  const employer = (await made(admin, '/api/v1/employers', { name: `株洲学员档案装备${locale}`, creditCode: testCreditCode(serial + 4), industryCode: 'C37', regionCode: '430200' })).id as string;
  await waitFor(async () => {
    const listed = (await http(base, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
    return [provider, evaluator, employer].every((id) => listed.includes(id)) || undefined;
  }, { description: 'the organisations to reach identity' });
  const staff = async (role: Role, organisationId: string) => (await signInAs(base, { role, organisationId, orgAdmin: true })).token;
  const school = await staff('school_staff', provider);
  const evaluatorStaff = await staff('evaluator_staff', evaluator);
  const name = locale === 'en' ? '刘焊英' : '刘焊中';
  const traineeId = (await made(school, '/api/v1/trainees', { name, idNumber: testAdultIdentityNumber(serial + 3), phone: '13800000000' })).id as string;
  const certificates: string[] = [];
  for (const [occupationCode, title, certifiedOn] of [
    [WELDER, '焊工（初级）', '2021-07-01'],
    [ELECTRICIAN, '电工（初级）', '2022-07-01'],
  ] as const) {
    const year = certifiedOn.slice(0, 4);
    const course = (await made(school, '/api/v1/courses', { providerId: provider, title: `${title}${locale}`, occupationCode, kind: 'skill', capacity: 30, startDate: `${year}-03-01`, endDate: `${year}-06-30` })).id as string;
    await made(school, `/api/v1/courses/${course}/enrollments`, { traineeId, enrolledOn: `${year}-03-02` });
    await made(school, `/api/v1/courses/${course}/assessments`, { traineeId, passed: true, score: 88, assessedOn: `${year}-06-20` });
    certificates.push((await made(evaluatorStaff, '/api/v1/certifications', { traineeId, occupationCode, level: 'junior', route: 'assessment', evaluatorId: evaluator, certifiedOn })).certificateNumber as string);
  }
  // The electrician's certificate revoked: the ladder keeps it in the history, marked, with no level standing.
  const revoked = await http(base, 'POST', `/api/v1/certificates/${certificates[1]}/revocation`, { reason: '材料不实', revokedOn: '2022-08-01' }, bearer(evaluatorStaff));
  if (revoked.status !== 200) throw new Error(`revoking ${certificates[1]}: ${revoked.status} ${JSON.stringify(revoked.body)}`);
  // Hired as a welder and the employment ended: the wage and why it ended are the trainee's to read.
  const employerStaff = await staff('employer_staff', employer);
  const placement = (await made(employerStaff, '/api/v1/placements', { employerId: employer, title: `焊工${locale}`, occupationCode: WELDER, openings: 1, wageMin: 6000, wageMax: 8000, regionCode: '430202' })).id as string;
  const { employmentId } = await made(employerStaff, `/api/v1/placements/${placement}/hires`, { traineeId, startDate: '2023-03-01', monthlyWage: 7200 });
  const ended = await http(base, 'POST', `/api/v1/employments/${employmentId}/end`, { endDate: '2024-02-29', reason: '合同期满' }, bearer(employerStaff));
  if (ended.status !== 200) throw new Error(`ending ${employmentId}: ${ended.status} ${JSON.stringify(ended.body)}`);
  // A code handed over before the account was made (here by a platform admin): trainee-service issues none
  // once it knows of the account, but one issued before may still be typed at /activate (traineeFlow's end).
  const codeBeforeAccount = (await made(school, `/api/v1/trainees/${traineeId}/activation-codes`, undefined)).code as string;
  const account = await context.newUser({ role: 'trainee', traineeId });
  return { traineeId, name, certificates, account, provider, codeBeforeAccount };
}

/** No element wider than a 360 px phone's screen: the page scrolls only down. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
  if (overflow > 0) throw new Error(`${page.url()} is ${overflow} px wider than the phone's screen`);
}

/** Follows a link of the header's navigation on a phone, where it is folded behind the menu button: opened first. */
export async function followNavLink(page: Page, t: Words, label: Parameters<Words>[0]): Promise<void> {
  const menu = page.getByRole('button', { name: t('layout.menu'), exact: true });
  if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
  await page.getByRole('navigation', { name: t('layout.mainNavigation') }).getByRole('link', { name: t(label), exact: true }).click();
}

/**
 * Elder mode on a phone: the header's links folded behind the menu button (closed at first), so the page's
 * heading is on the first screen; opened by keyboard, Escape closes it back to the button, and the ladder's
 * link followed by keyboard, the menu closed again on the new page. Open, axe finds nothing in either mode.
 */
async function expectPhoneMenu(page: Page, t: Words, context: WorkspaceContext, locale: Locale): Promise<void> {
  const elder = page.getByRole('button', { name: t('layout.elderMode'), exact: true });
  await elder.click();
  await page.waitForFunction(() => document.documentElement.classList.contains('elder'));
  const menu = page.getByRole('button', { name: t('layout.menu'), exact: true });
  expect(await menu.getAttribute('aria-expanded')).toBe('false');
  const ladderLink = page.getByRole('navigation', { name: t('layout.mainNavigation') }).getByRole('link', { name: t('nav.myLadder'), exact: true });
  expect(await ladderLink.isVisible()).toBe(false);
  const heading = await page.evaluate(() => {
    window.scrollTo(0, 0);
    return { bottom: document.querySelector('main h1')?.getBoundingClientRect().bottom ?? Infinity, screen: window.innerHeight };
  });
  if (heading.bottom > heading.screen) throw new Error(`in elder mode the page's heading ends ${heading.bottom} px down a ${heading.screen} px screen`);
  await menu.focus();
  await page.keyboard.press('Enter');
  expect(await menu.getAttribute('aria-expanded')).toBe('true');
  const controlled = page.locator(`[id="${await menu.getAttribute('aria-controls')}"]`);
  await controlled.getByRole('link', { name: t('nav.myLadder'), exact: true }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  expect(await menu.getAttribute('aria-expanded')).toBe('false');
  await expectFocused(menu);
  await page.keyboard.press('Space');
  expect(await menu.getAttribute('aria-expanded')).toBe('true');
  for (let step = 0; step < 10 && !(await ladderLink.evaluate((link) => link === document.activeElement)); step += 1) await page.keyboard.press('Tab');
  await expectFocused(ladderLink);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/me/ladder');
  await page.getByRole('button', { name: t('layout.menu'), exact: true, expanded: false }).waitFor();
  await elder.click();
  await page.waitForFunction(() => !document.documentElement.classList.contains('elder'));
  // Open, in either mode: axe finds nothing.
  await menu.click();
  await context.checkPage(page, locale);
  await menu.click();
  expect(await menu.getAttribute('aria-expanded')).toBe('false');
}

/**
 * English words drawn in a Latin face, not the CJK one (whose Latin punctuation is full-width: "Holder’ s"):
 * the fonts Chromium drew `element`'s text with, asked through the DevTools protocol.
 */
async function expectLatinFace(page: Page, element: Locator): Promise<void> {
  await element.evaluate((target) => target.setAttribute('data-font-probe', ''));
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('DOM.enable');
    await session.send('CSS.enable');
    const { root } = await session.send('DOM.getDocument');
    const { nodeId } = await session.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-font-probe]' });
    const { fonts } = await session.send('CSS.getPlatformFontsForNode', { nodeId });
    const cjk = fonts.filter((font) => /CJK|SC$|YaHei|PingFang/.test(font.familyName));
    if (cjk.length > 0) throw new Error(`English text drawn in ${cjk.map((font) => font.familyName).join(', ')}`);
  } finally {
    await session.detach();
    await element.evaluate((target) => target.removeAttribute('data-font-probe'));
  }
}

/** Saves the download a click starts and answers the text pdftotext reads out of it. */
async function downloadedText(page: Page, click: () => Promise<void>): Promise<{ filename: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = join(mkdtempSync(join(tmpdir(), 'trainee-pdf-')), download.suggestedFilename());
  await download.saveAs(file);
  // Not execFileSync: the platform answers in this same process and must not be blocked meanwhile.
  return { filename: download.suggestedFilename(), text: (await promisify(execFile)('pdftotext', [file, '-'])).stdout };
}

type Words = ReturnType<typeof wordsOf>;

/**
 * The holder's copy of a certificate: a button for its credential (JSON) and one for its QR code (PNG),
 * each saving the file itself under the certificate's number: the issued credential, and a QR code of the
 * certificate's verification URL, never an error's body in their place.
 */
async function expectCredentialDownloads(page: Page, scope: Locator, number: string, t: Words, issued: unknown): Promise<void> {
  const saved = async (name: string) => {
    const [download] = await Promise.all([page.waitForEvent('download'), scope.getByRole('button', { name, exact: true }).click()]);
    return { filename: download.suggestedFilename(), content: readFileSync(await download.path()) };
  };
  const json = await saved(t('credentials.download.json', { number }));
  if (json.filename !== `${number}.credential.json`) throw new Error(`the credential was saved as ${json.filename}`);
  const credential = JSON.parse(json.content.toString('utf8'));
  if (credential.credentialSubject?.licenseNumber !== number || JSON.stringify(credential) !== JSON.stringify(issued)) {
    throw new Error(`the saved credential is not the issued one of ${number}: ${json.content.toString('utf8').slice(0, 300)}`);
  }
  const qr = await saved(t('credentials.download.qr', { number }));
  if (qr.filename !== `${number}-qr.png`) throw new Error(`the QR code was saved as ${qr.filename}`);
  const png = PNG.sync.read(qr.content);
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code?.data.endsWith(`/verify/${number}`)) throw new Error(`the saved QR code of ${number} says ${code?.data}`);
}

/**
 * A certificate with no credential (signing off, or not signed yet: forced here by answering its lookup
 * 404, as the platform does then): pressing the button (by keyboard) says so on the page and saves nothing.
 */
async function expectNoCredentialSaid(page: Page, scope: Locator, number: string, t: Words): Promise<void> {
  const lookup = (url: URL) => url.pathname === `/api/v1/certificates/${number}/credential`;
  const noCredential = { type: 'about:blank', title: 'Not Found', status: 404, detail: `No credential ${number}` };
  await page.route(lookup, (route) => route.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify(noCredential) }));
  const downloads: string[] = [];
  const onDownload = (download: Download) => downloads.push(download.suggestedFilename());
  page.on('download', onDownload);
  try {
    await scope.getByRole('button', { name: t('credentials.download.json', { number }), exact: true }).focus();
    await page.keyboard.press('Enter');
    await scope.getByRole('alert').filter({ hasText: t('credentials.download.none') }).waitFor({ timeout: 10_000 });
    if (downloads.length > 0) throw new Error(`a certificate with no credential saved ${downloads.join(', ')}`);
  } finally {
    page.off('download', onDownload);
    await page.unroute(lookup);
  }
}

/** Submits the electronic certificate the text box holds and answers the result once shown (verified or not). */
async function verifyCredentialOnPage(form: Locator, t: Words, verified: boolean): Promise<Locator> {
  await form.getByRole('button', { name: t('credentials.verify.submit'), exact: true }).click();
  const result = form.locator(`.credential-result[data-verified="${verified}"]`);
  await result.getByText(t(verified ? 'credentials.verify.verified' : 'credentials.verify.notVerified'), { exact: true }).waitFor();
  return result;
}

/** The words a check's outcome is shown in: its name, passed or failed. */
const outcome = (t: Words, check: 'signature' | 'issuer' | 'status' | 'dates', passed: boolean) =>
  t('credentials.check.outcome', { check: t(`credentials.check.${check}`), outcome: t(passed ? 'credentials.verify.passed' : 'credentials.verify.failed') });

/**
 * The archive's answer as it is while facts are parked (made up from the real one: parking a fact takes a
 * broken consumer): the page says how many records are still arriving, not a timeline that looks whole.
 */
async function expectIncompleteSaid(page: Page, t: Words): Promise<void> {
  const archiveRead = (url: URL) => url.pathname.startsWith('/api/v1/trainees/') && url.pathname.endsWith('/archive');
  await page.route(archiveRead, async (route) => {
    const real = await route.fetch();
    const body = { ...(await real.json()), freshness: { completeUpTo: null, pendingFacts: 2 } };
    await route.fulfill({ response: real, body: JSON.stringify(body) });
  });
  try {
    await page.reload();
    await page.getByTestId('archive-freshness').getByText(t('freshness.recordsArriving', { count: 2 }), { exact: true }).waitFor();
  } finally {
    await page.unroute(archiveRead);
  }
  await page.reload();
  await page.locator('li[data-kind="hired"]').waitFor();
}

/** The trainee on a phone: their archive, ladder and certificates, the archive and a certificate as PDFs. */
export async function traineeFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { traineeId, name, certificates, account, provider, codeBeforeAccount } = await certifiedTrainee(context, locale);
  const [welding, electrical] = certificates;
  const page = await context.newPage({ width: 360, height: 740 });
  await context.signIn(page, account, locale);

  // The archive: the timeline holds both certificates; downloaded as a PDF it names the person and the
  // certificates, with the welder's occupation in Chinese whatever the page's language.
  await page.goto(`${context.host.baseUrl}/me/archive`);
  await page.getByRole('heading', { name: t('me.archiveTitle') }).waitFor();
  const entry = (kind: string, number: string) => page.locator(`li[data-kind="${kind}"]`).filter({ hasText: number });
  await entry('certified', welding).waitFor();
  await entry('certified', electrical).waitFor();
  await entry('certificate_revoked', electrical).waitFor();
  // The hire with its monthly wage, and its end with why: the trainee's own to read.
  await page.locator('li[data-kind="hired"]').getByText(t('worker.archive.monthlyWage', { amount: '7,200' }), { exact: false }).waitFor();
  await page.locator('li[data-kind="employment_ended"]').getByText(t('worker.archive.endReason', { reason: '合同期满' }), { exact: false }).waitFor();
  // Read consistent, the archive says it is complete up to an instant; with facts parked, that it is not.
  const freshness = page.getByTestId('archive-freshness');
  expect(await freshness.innerText()).toContain(t('freshness.completeUpTo', { at: '\u0000' }).split('\u0000')[0]);
  await expectIncompleteSaid(page, t);
  if (locale === 'en') await expectLatinFace(page, page.getByRole('heading', { name: t('me.archiveTitle') }));
  await expectNoSidewaysScroll(page);
  await context.checkPage(page, locale, 'trainee-archive');
  const archive = await downloadedText(page, () => page.getByRole('button', { name: t('me.downloadArchive') }).click());
  if (archive.filename !== `archive-${traineeId}.pdf`) throw new Error(`the archive was saved as ${archive.filename}`);
  for (const words of [name, welding, electrical, '焊工', '电工', `/verify/${welding}`]) {
    if (!archive.text.includes(words)) throw new Error(`the archive PDF does not say ${words}:\n${archive.text}`);
  }
  await page.getByRole('status').filter({ hasText: t('me.downloaded') }).waitFor();

  // The ladder, reached through the header's menu by keyboard in elder mode: each occupation at its level, with its history.
  await expectPhoneMenu(page, t, context, locale);
  await page.getByRole('heading', { name: t('me.ladderTitle') }).waitFor();
  await page.getByRole('heading', { name: new RegExp(WELDER) }).waitFor();
  await page.getByRole('heading', { name: new RegExp(ELECTRICIAN) }).waitFor();
  await page.getByText(t('me.currentLevel', { level: t('level.junior') })).waitFor();
  await page.getByText(t('me.noStandingLevel')).waitFor();
  await page.getByText(t('history.revokedOn', { date: '2022-08-01', reason: '材料不实' })).waitFor();
  await expectNoSidewaysScroll(page);
  await context.checkPage(page, locale, 'trainee-ladder');

  // The certificates: each QR code says its verification URL; one printed as a PDF.
  await followNavLink(page, t, 'nav.myCertificates');
  await page.getByRole('heading', { name: t('me.certificatesTitle') }).waitFor();
  const card = page.locator(`article[data-number="${welding}"]`);
  await card.getByRole('img').waitFor();
  await waitFor(async () => ((await decodeQr(card.getByRole('img'))).endsWith(`/verify/${welding}`) || undefined), { description: 'the QR code to say the verification URL' });
  await expectNoSidewaysScroll(page);
  await context.checkPage(page, locale, 'trainee-certificates');
  const printable = await downloadedText(page, () => card.getByRole('button', { name: t('me.downloadCertificate', { number: welding }) }).click());
  for (const words of [name, welding, '焊工', `/verify/${welding}`]) {
    if (!printable.text.includes(words)) throw new Error(`the certificate PDF does not say ${words}:\n${printable.text}`);
  }
  // The holder's copy as an electronic certificate: its signed credential (JSON) and its QR code (PNG).
  const base = context.host.baseUrl;
  const issued = await http(base, 'GET', `/api/v1/certificates/${welding}/credential?consistent=true`);
  if (issued.status !== 200) throw new Error(`the credential of ${welding}: ${issued.status} ${JSON.stringify(issued.body)}`);
  await expectCredentialDownloads(page, card, welding, t, issued.body);

  await card.getByRole('link', { name: t('me.openVerification', { number: welding }) }).click();
  await page.waitForURL(`**/verify/${welding}`);
  // The public certificate view offers the same copy; without a credential it says so and saves nothing.
  const main = page.getByRole('main');
  await expectCredentialDownloads(page, main, welding, t, issued.body);
  await expectNoCredentialSaid(page, main, welding, t);
  await expectNoSidewaysScroll(page);
  await context.checkPage(page, locale, 'verify-certificate-no-credential');

  // The public verification page checks the pasted credential: verified, every check passed.
  await page.goto(`${base}/verify`);
  // A public page shows before who is signed in is known; the header then grows by the user's name and
  // buttons, moving the form down on a phone. Pressed in between, the press would land beside the button.
  await page.getByRole('button', { name: t('layout.signOut'), exact: true }).waitFor();
  // Looked up by number and name with neither filled in: each field says so at itself (tied to it, marked
  // invalid), and the focus goes to the first, where a screen reader reads its words; then with the name alone missing.
  const lookUp = page.getByRole('button', { name: t('verify.submit'), exact: true });
  await lookUp.click();
  const numberField = page.getByLabel(t('verify.number'), { exact: true });
  const holderNameField = page.getByLabel(t('verify.holderName'), { exact: true });
  await expectFocused(numberField);
  await expectSaidAtField(numberField, t('verify.numberRequired'));
  await expectSaidAtField(holderNameField, t('verify.holderNameRequired'));
  await numberField.fill(welding);
  expect(await numberField.getAttribute('aria-invalid')).toBeNull();
  // Typed in and emptied again: no longer said wrong until the next press, which says it again, with Enter in it.
  await holderNameField.fill('x');
  await holderNameField.fill('');
  expect(await holderNameField.getAttribute('aria-invalid')).toBeNull();
  await holderNameField.press('Enter');
  await expectFocused(holderNameField);
  await expectSaidAtField(holderNameField, t('verify.holderNameRequired'));
  await numberField.fill('');
  const form = page.getByRole('region', { name: t('credentials.verify.title') });
  const text = form.getByLabel(t('credentials.verify.text'));
  await text.fill('{"licenseNumber": ');
  await form.getByRole('button', { name: t('credentials.verify.submit'), exact: true }).click();
  await form.getByRole('alert').filter({ hasText: t('credentials.verify.notJson') }).waitFor();
  const pasted = JSON.stringify(issued.body, null, 2);
  await text.fill(pasted);
  const genuine = await verifyCredentialOnPage(form, t, true);
  for (const check of ['signature', 'issuer', 'status', 'dates'] as const) await genuine.getByText(outcome(t, check, true), { exact: true }).waitFor();
  await expectNoSidewaysScroll(page);
  await context.checkPage(page, locale, 'credentials-verify');

  // One character changed (the certificate's number in it), read from a file: the signature fails.
  const lastDigit = Number(welding.slice(-1));
  const tampered = pasted.replace(`"licenseNumber": "${welding}"`, `"licenseNumber": "${welding.slice(0, -1)}${(lastDigit + 1) % 10}"`);
  if (tampered === pasted) throw new Error(`the credential holds no licenseNumber ${welding}`);
  await form.getByLabel(t('credentials.verify.file')).setInputFiles({ name: `${welding}.credential.json`, mimeType: 'application/json', buffer: Buffer.from(tampered) });
  await form.getByRole('status').filter({ hasText: t('credentials.verify.fileRead', { name: `${welding}.credential.json` }) }).waitFor();
  if ((await text.inputValue()) !== tampered) throw new Error('the chosen file was not read into the text box');
  const forged = await verifyCredentialOnPage(form, t, false);
  await forged.getByText(outcome(t, 'signature', false), { exact: true }).waitFor();
  await expectNoSidewaysScroll(page);
  await context.checkPage(page, locale, 'credentials-verify-tampered');

  // Their own details: a name correction warns, at the name field, that what was printed before is to be printed again.
  await page.goto(`${base}/me/details`);
  await page.getByRole('heading', { name: t('me.detailsTitle'), level: 1 }).waitFor();
  await expectDescribedBy(page.getByLabel(t('trainee.name'), { exact: true }), t('worker.correct.nameHint'));
  await page.close();

  // No code is issued to someone who has their account. A fresh token: the setup's have expired by now.
  const school = (await signInAs(base, { role: 'school_staff', organisationId: provider })).token;
  const refused = await http(base, 'POST', `/api/v1/trainees/${traineeId}/activation-codes`, undefined, bearer(school));
  if (refused.status !== 409 || refused.body.rule !== 'trainee_has_user') throw new Error(`issuing a code: ${refused.status} ${JSON.stringify(refused.body)}`);
  // One issued before their account was made, typed now: /activate says so to them, and whom to ask for a forgotten password.
  const again = await context.newPage({ width: 360, height: 740 });
  await again.goto(`${base}/activate`);
  await switchLocale(again, locale);
  const activation = again.locator('form');
  const password = `pw-${randomUUID()}`;
  await activation.getByLabel(t('activation.code')).fill(codeBeforeAccount);
  await activation.getByLabel(t('activate.username')).fill(`again.${randomUUID().slice(0, 8)}`);
  await activation.getByLabel(t('activate.password'), { exact: true }).fill(password);
  await activation.getByLabel(t('activate.passwordAgain')).fill(password);
  await activation.getByRole('button', { name: t('activate.submit') }).click();
  // Said to them (not of "this trainee"), with whom to ask for a forgotten password.
  await activation.getByRole('alert').getByText(t('rule.trainee_has_user'), { exact: true }).waitFor();
  expect(await activation.getByRole('alert').innerText()).toContain(t('worker.forgotPassword.trainee'));
  await again.close();
}

/** The words a field's aria-describedby ties to it include `words`: read out with the field, not only seen near it. */
async function expectDescribedBy(field: Locator, words: string): Promise<void> {
  const ids = (await field.getAttribute('aria-describedby'))?.split(' ') ?? [];
  const described = await Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).innerText()));
  if (!described.includes(words)) throw new Error(`the field is not described by "${words}": ${JSON.stringify(described)}`);
}
