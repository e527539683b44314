// The web console's part 2 in a real browser (Debian's Chromium through playwright-core) against the
// all-in-one platform: the evaluator's, the employer's and the trainee's own workspaces and administration,
// each flow in Chinese and in English, each page checked with axe-core in normal and elder-friendly mode,
// and the screenshots of each workspace written to docs/console/. Each flow sets up its own data through
// the API (e2e/src/console/flows/), so the flows share nothing but the platform and the browser.
import { BUILT_CONSOLE_DIR, consoleIsBuilt } from '@skills/service-runtime';
import { adminToken, createTestDatabase, http, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Browser, BrowserContext } from 'playwright-core';
import { buildConsole, launchChromium, Locale, startConsoleHost } from './console/browser';
import { checkPage, signInThroughPage } from './console/page-checks';
import { activationFlow } from './console/flows/activation';
import { administrationFlow } from './console/flows/administration';
import { archiveRevokedFlow } from './console/flows/archive-revoked';
import { archiveStepsFlow } from './console/flows/archive-steps';
import { bureauRegisterBrandFlow } from './console/flows/bureau-register-brand';
import { employerFlow } from './console/flows/employer';
import { employerVoidFlow } from './console/flows/employer-void';
import { evaluatorFlow } from './console/flows/evaluator';
import { evaluatorEarlierRecordFlow } from './console/flows/evaluator-earlier-record';
import { evaluatorVoidFlow } from './console/flows/evaluator-void';
import { importsFlow } from './console/flows/imports';
import { myPasswordFlow } from './console/flows/my-password';
import { platformAccountsFlow } from './console/flows/platform-accounts';
import { signInFlow } from './console/flows/sign-in';
import { schoolResultsFlow } from './console/flows/school-results';
import { schoolVoidFlow } from './console/flows/school-void';
import { statisticsFlow } from './console/flows/statistics';
import { totpEnrolmentFlow } from './console/flows/totp-enrolment';
import { traineeFlow } from './console/flows/trainee';
import { unitBrandsFlow } from './console/flows/unit-brands';
import { ROLE_REQUIRING_TOTP, WorkspaceContext } from './console/flows/workspace-context';


describe('the web console’s workspaces for evaluators, employers, trainees and administrators, in a real browser', () => {
  let database: TestDatabase;
  let host: TestHost;
  let browser: Browser;
  let context: WorkspaceContext;
  const contexts: BrowserContext[] = [];
  /** The platform that asks a second factor of ROLE_REQUIRING_TOTP, once a flow has asked for it. */
  let requiringTotp: Promise<{ database: TestDatabase; host: TestHost }> | undefined;

  /** identity-service reads REQUIRE_TOTP_ROLES from the environment as it starts: set for this host's start alone. */
  async function startHostRequiringTotp(): Promise<{ database: TestDatabase; host: TestHost }> {
    const database = await createTestDatabase();
    const before = process.env.REQUIRE_TOTP_ROLES;
    process.env.REQUIRE_TOTP_ROLES = ROLE_REQUIRING_TOTP;
    try {
      return { database, host: await startConsoleHost(database.url) };
    } catch (error) {
      await database.drop();
      throw error;
    } finally {
      if (before === undefined) delete process.env.REQUIRE_TOTP_ROLES;
      else process.env.REQUIRE_TOTP_ROLES = before;
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startConsoleHost(database.url);
    await buildConsole();
    expect(consoleIsBuilt(BUILT_CONSOLE_DIR)).toBe(true);
    browser = await launchChromium();
    const admin = await adminToken(host.baseUrl);
    context = {
      host,
      databaseUrl: database.url,
      adminToken: admin,
      async newPage(viewport = { width: 1280, height: 900 }) {
        const browserContext = await browser.newContext({ viewport, locale: 'zh-CN' });
        contexts.push(browserContext);
        return browserContext.newPage();
      },
      async newUser(user) {
        const username = `${user.role}.${randomUUID().slice(0, 8)}`;
        const password = `pw-${randomUUID()}`;
        const created = await http(host.baseUrl, 'POST', '/api/v1/users', { username, password, ...user }, { authorization: `Bearer ${context.adminToken}` });
        if (created.status !== 201) throw new Error(`creating ${username} answered ${created.status}: ${JSON.stringify(created.body)}`);
        return { username, password, userId: created.body.id as string };
      },
      signIn: (page, user, locale) => signInThroughPage(page, host.baseUrl, user.username, user.password, locale),
      async hostRequiringTotp() {
        requiringTotp ??= startHostRequiringTotp();
        return (await requiringTotp).host;
      },
      checkPage,
    };
  }, 300_000);

  // The flows together outlast an access token on a loaded machine: each starts with a fresh one.
  beforeEach(async () => {
    context.adminToken = await adminToken(host.baseUrl);
  });

  afterAll(async () => {
    for (const browserContext of contexts) await browserContext.close().catch(() => undefined);
    await browser?.close();
    const second = await requiringTotp?.catch(() => undefined);
    await second?.host.close();
    await second?.database.drop();
    await host?.close();
    await database?.drop();
  });

  describe.each<Locale>(['zh-CN', 'en'])('in %s', (locale) => {
    it('lets an evaluator see the refusing rule before submitting a promotion of three levels, then certify two levels up, list and revoke', () => evaluatorFlow(context, locale), 240_000);
    it('lets an evaluator revoke a certificate, a date before its issue said at the field, and shows it revoked on the holder’s archive, its printable PDF offered there', () => archiveRevokedFlow(context, locale), 240_000);
    it('lets an evaluator record a certificate of an earlier year below today’s level, offered the routes from the level held on that date, asking the ladder again after a failed read and a lost answer', () => evaluatorEarlierRecordFlow(context, locale), 240_000);
    it('lets an evaluator void a certificate recorded in error, told how it differs from a revocation: refused while a later certificate stands on it, naming that one; voided, it leaves the list and the holder’s level falls back', () => evaluatorVoidFlow(context, locale), 240_000);
    it('lets an employer be refused a hire below the placement’s level with the rule shown and an earlier stint told why it overlaps, hire at the level until the placement is filled, open a hired person’s archive, and end the employment, an end before its start said at the field', () => employerFlow(context, locale), 240_000);
    it('lets an employer void a hire recorded in error, told how it differs from ending the employment: voided, active or ended, it leaves the list and its opening is free again', () => employerVoidFlow(context, locale), 240_000);
    it('lets a trainee see their archive, ladder and certificates on a phone and download the archive as a PDF', () => traineeFlow(context, locale), 240_000);
    it('lets an employer’s clerk register a worker and issue them an activation code on the archive page, with which the worker opens their own account, corrects their mobile number, and erases their personal data once confirmed', () => activationFlow(context, locale), 240_000);
    it('lets an administrator create a user who can then sign in, and disable them', () => administrationFlow(context, locale), 240_000);
    it('lets a platform admin manage the accounts of no organisation: create a second platform admin, reset a trainee account’s password, disable the admin; a bureau officer sees no audit link it may not read', () => platformAccountsFlow(context, locale), 240_000);
    it('signs in a user with a second factor through the one-time code field, back to the address with its query, and says a request without an answer as a failure', () => signInFlow(context, locale), 240_000);
    it('lets a user whose role asks a second factor set it up on the sign-in page and sign in with the next code, and an administrator reset it', () => totpEnrolmentFlow(context, locale), 240_000);
    it('lets a school import trainees from a CSV: the dry run refuses a bad row, offers its reason to download, and the rest go in once confirmed; rows past the uploader’s lookups of the hour are said unchecked', () => importsFlow(context, locale), 240_000);
    it('lets a signed-in user change their own password from the header: a wrong current password and a too-short new one said at their fields, then the new one signs in and the old one no more', () => myPasswordFlow(context, locale), 240_000);
    it('lets a school clerk correct the phone of a trainee it registered, a wrong phone refused at the field first and a school that did not register them not offered the form but told who corrects them, and a platform admin erase a trainee with no account on the archive page', () => archiveStepsFlow(context, locale), 240_000);
    it('lets a bureau officer read its region’s statistics for a quarter, see the figures and a chart per figure over quarters, and download them as CSV', () => statisticsFlow(context, locale), 240_000);
    it('lets a bureau officer register a labour brand: a building unit outside the region refused at its row, corrected, the brand’s page; the same name again refused, naming the brand that has it; the brand corrected, 更正品牌信息, a unit outside the region refused at the units’ field', () => bureauRegisterBrandFlow(context, locale), 240_000);
    it('lets a school clerk record a course’s results told at the row of a pass or fail not chosen, a date far after the course and a result recorded by someone else meanwhile (replaced only when saved again), with a voided registration offered nothing and a one-day course said at scheduling', () => schoolResultsFlow(context, locale), 240_000);
    it('lets a school clerk void an enrolment recorded in error with its result, told how it differs from a withdrawal: it leaves the roster, the seat is free, and the person may be enrolled again', () => schoolVoidFlow(context, locale), 240_000);
    it('lets a school clerk whose school builds a labour brand read that brand without deciding on it, then its own graduates’ employment for a quarter, and download it as CSV', () => unitBrandsFlow(context, locale), 240_000);
  });
});
