// The employer's workspace in a real browser: post a placement that needs junior welders, be refused a
// hire of someone with no certificate (the level rule shown by the check before the hire is sent), hire
// someone certified junior (openings left goes down), be refused an earlier stint of theirs (the overlapping
// employment said by its dates), fill the last opening (the placement says filled, not closed, and why no
// hire form), end the first employment (an end before its start said at the field first; warned that the
// reason is kept for good), close a placement on the list's second page (its page says the day; the filled one,
// closed too, says closed on its day), open the archive of someone hired
// from the employments' list; then, signed out, the public board shows the placement and the wages hired at
// each level. Data set up through the API.
import { businessDateOf, maskName, occupationLabel } from '@skills/domain-kernel';
import { adminToken, bearer, http, signInAs, testAdultIdentityNumber, testCreditCode, waitFor } from '@skills/testing';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused, loseFirstAnswer } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

const WELDER = '6-18-02-04';


export async function employerFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const words = wordsOf(locale);
  const baseUrl = context.host.baseUrl;
  // Access tokens live seconds in this spec: one fresh for each call.
  const asAdmin = async () => bearer(await adminToken(baseUrl));
  const made = async (headers: Record<string, string>, path: string, body: unknown) => {
    const answer = await http(baseUrl, 'POST', path, body, headers);
    if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const offset = locale === 'en' ? 500 : 0;
  // Each locale's run has a district of its own, so the wage figures are its hires alone.
  const district = locale === 'en' ? '430203' : '430202';

  const employer = await made(await asAdmin(), '/api/v1/employers', { name: `株洲九方装备 ${locale}`, creditCode: testCreditCode(32_000 + offset), industryCode: 'C37', regionCode: '430200' });
  const evaluator = await made(await asAdmin(), '/api/v1/evaluators', { name: `株洲焊接协会 ${locale}`, creditCode: testCreditCode(32_001 + offset), kind: 'social_organisation', regionCode: '430200' });
  const staffApi = await signInAs(baseUrl, { role: 'employer_staff', organisationId: employer.id });
  const evaluatorApi = await signInAs(baseUrl, { role: 'evaluator_staff', organisationId: evaluator.id });

  const person = async (n: number, name: string) => {
    const idNumber = testAdultIdentityNumber(32_000 + offset + n);
    const trainee = await made(await asAdmin(), '/api/v1/trainees', { name, idNumber, phone: '13800000000' });
    return { id: trainee.id as string, idNumber, name };
  };
  const uncertified = await person(0, '赵无证');
  const certified = await person(1, '钱初级');
  await made(bearer(await evaluatorApi.renew()), '/api/v1/certifications', { traineeId: certified.id, occupationCode: WELDER, level: 'junior', route: 'assessment', evaluatorId: evaluator.id, certifiedOn: '2021-01-01' });
  const filler = await person(2, '李满员');

  // Five hires without a certificate at other placements of the district, by three employers (two, two and one:
  // the insight shows a level only when no employer hired more than half its people): one wage cell to show.
  const neighbours: { id: string; api: typeof staffApi }[] = [];
  for (const index of [1, 2]) {
    const neighbour = await made(await asAdmin(), '/api/v1/employers', { name: `株洲邻近装备${index} ${locale}`, creditCode: testCreditCode(32_001 + index + offset), industryCode: 'C37', regionCode: '430200' });
    neighbours.push({ id: neighbour.id as string, api: await signInAs(baseUrl, { role: 'employer_staff', organisationId: neighbour.id }) });
  }
  const hirers = [{ id: employer.id as string, api: staffApi }, ...neighbours];
  const earlier: { id: string }[] = [];
  for (const hirer of hirers) {
    earlier.push(await made(bearer(await hirer.api.renew()), '/api/v1/placements', { employerId: hirer.id, title: `学徒焊工 ${locale}`, occupationCode: WELDER, openings: 10, wageMin: 5000, wageMax: 9000, regionCode: district }));
  }
  for (const [index, monthlyWage] of [6000, 6500, 7000, 7500, 8000].entries()) {
    const worker = await person(10 + index, `孙工${index}`);
    const at = index % hirers.length;
    await made(bearer(await hirers[at].api.renew()), `/api/v1/placements/${earlier[at].id}/hires`, { traineeId: worker.id, startDate: '2021-07-01', monthlyWage });
  }

  // Twenty-one more placements, in a district of their own (not on the board's search below), the oldest of
  // them closed from the list's second page: the employer's list shows twenty at a time, newest first.
  const more: { id: string; title: string }[] = [];
  for (let index = 0; index < 21; index++) {
    const moreTitle = `仓储焊工 ${locale} ${index}`;
    const posted = await made(bearer(await staffApi.renew()), '/api/v1/placements', { employerId: employer.id, title: moreTitle, occupationCode: WELDER, openings: 1, wageMin: 4000, wageMax: 5000, regionCode: '430211' });
    more.push({ id: posted.id as string, title: moreTitle });
  }

  const page = await context.newPage();
  await context.signIn(page, await context.newUser({ role: 'employer_staff', organisationId: employer.id }), locale);

  // Post a placement that needs at least junior.
  await page.goto(`${baseUrl}/employer/placements`);
  await page.getByRole('heading', { name: words('employer.placements.title'), level: 1 }).waitFor();
  await page.getByRole('button', { name: words('employer.placements.post') }).click();
  const title = `铆焊工 ${locale}`;
  await page.getByLabel(words('employer.placement.title')).fill(title);
  await page.getByLabel(words('employer.placement.occupation')).fill(WELDER);
  await page.getByLabel(words('employer.placement.region')).fill(district);
  await page.getByLabel(words('employer.placement.openings')).fill('2');
  await page.getByLabel(words('employer.placement.minLevel')).selectOption('junior');
  await page.getByLabel(words('employer.placement.wageMin')).fill('7000');
  await page.getByLabel(words('employer.placement.wageMax')).fill('9000');
  // The first answer is lost on its way back (the placement is posted all the same): said as a failure;
  // pressed again, the same Idempotency-Key has the API answer the first, not post a second placement.
  const postKeys = await loseFirstAnswer(page, '**/api/v1/placements');
  await page.getByRole('button', { name: words('employer.placements.postSubmit'), exact: true }).click();
  await page.locator('#post-placement').getByRole('alert').filter({ hasText: words('common.failed') }).waitFor();
  await page.getByRole('button', { name: words('employer.placements.postSubmit'), exact: true }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: title }) });
  await row.first().getByText(words('employer.placement.openingsOf', { left: 2, openings: 2 })).waitFor();
  // The form closed: the keyboard's focus is on the line saying, in words, which placement was posted, not lost to <body>.
  await expectFocused(page.getByRole('status').filter({ hasText: words('employer.placements.posted', { title }) }));
  await page.unroute('**/api/v1/placements');
  expect(postKeys).toHaveLength(2);
  expect(postKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(postKeys[1]).toBe(postKeys[0]);
  expect(await row.count()).toBe(1);
  await context.checkPage(page, locale, 'employer-placements');

  // Hire into it: the check refuses someone with no certificate, with the level rule and both levels.
  await row.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  // Someone not registered yet is registered from here (employers may: trainees:register).
  expect(await page.getByRole('link', { name: words('employer.hire.registerNew'), exact: true }).getAttribute('href')).toBe('/school/trainees/new');
  await lookUp(page, locale, uncertified);
  await page.getByRole('button', { name: words('employer.hire.check'), exact: true }).click();
  await page.getByText(words('employer.hire.levelRule', { minLevel: words('level.junior'), traineeLevel: words('employer.hire.noLevel') })).waitFor();
  await page.getByRole('alert').getByText(words('rule.level_too_low')).waitFor();
  expect(await page.getByRole('button', { name: words('employer.hire.submit'), exact: true }).isDisabled()).toBe(true);
  await context.checkPage(page, locale, 'employer-hire');

  // Someone certified junior passes the check and is hired: one opening fewer. The start date, cleared, is
  // said wrong at its field, and the check stops there.
  await lookUp(page, locale, certified);
  const startDate = page.getByLabel(words('employer.hire.startDate'), { exact: true });
  await startDate.fill('');
  await page.getByText(words('common.dateRequired'), { exact: true }).waitFor();
  expect(await startDate.getAttribute('aria-invalid')).toBe('true');
  await page.getByRole('button', { name: words('employer.hire.check'), exact: true }).click();
  await expectFocused(startDate);
  const today = new Date().toISOString().slice(0, 10);
  await startDate.fill(today);
  await page.getByRole('button', { name: words('employer.hire.check'), exact: true }).click();
  await page.getByText(words('employer.hire.checkPassedLevel', { level: words('level.junior') })).waitFor();
  await page.getByRole('button', { name: words('employer.hire.submit'), exact: true }).click();
  await page.getByText(words('employer.hire.done', { name: maskName(certified.name) })).waitFor();
  await expectFocused(page.getByRole('status').filter({ hasText: words('employer.hire.done', { name: maskName(certified.name) }) }));
  // The line saying who was hired opens their archive.
  expect(await page.getByRole('status').getByRole('link', { name: words('trainees.openArchive', { name: maskName(certified.name) }), exact: true }).getAttribute('href')).toBe(`/trainees/${certified.id}/archive`);
  await page.getByTestId('openings-left').getByText(words('employer.placement.openingsOf', { left: 1, openings: 2 })).waitFor();
  await context.checkPage(page, locale);

  // An earlier stint of the same person is refused: a hire has no end, so today's overlaps any start before
  // it. The check says so with the overlapping employment's dates, not that they were employed on that day.
  await lookUp(page, locale, certified);
  await startDate.fill('2021-06-01');
  await page.getByRole('button', { name: words('employer.hire.check'), exact: true }).click();
  const verdict = page.getByTestId('hire-verdict');
  await verdict.getByText(words('rule.already_employed_by_employer'), { exact: true }).waitFor();
  expect(await verdict.getByTestId('overlapping-employment').innerText()).toBe(`${words('employer.hire.overlapsActive', { startDate: today })} ${words('employer.hire.overlapsLater')}`);
  expect(await page.getByRole('button', { name: words('employer.hire.submit'), exact: true }).isDisabled()).toBe(true);

  // The last opening of another placement (one opening, any level) filled: the line saying who was hired
  // stays (the hire form goes with the opening, the focus to that line), and the placement says it is
  // filled, not closed, and why there is no hire form.
  const filled = more[20];
  await page.goto(`${baseUrl}/employer/placements/${filled.id}`);
  await page.getByRole('heading', { name: filled.title, level: 1 }).waitFor();
  await lookUp(page, locale, filler);
  await page.getByRole('button', { name: words('employer.hire.check'), exact: true }).click();
  await page.getByText(words('employer.hire.checkPassed'), { exact: true }).waitFor();
  await page.getByRole('button', { name: words('employer.hire.submit'), exact: true }).click();
  await page.getByTestId('openings-left').getByText(words('employer.placement.openingsOf', { left: 0, openings: 1 })).waitFor();
  await expectFocused(page.getByRole('status').filter({ hasText: words('employer.hire.done', { name: maskName(filler.name) }) }));
  await page.getByText(words('employer.status.filled'), { exact: true }).waitFor();
  expect(await page.getByTestId('placement-state-note').innerText()).toBe(words('employer.placement.filledNote'));
  expect(await page.getByRole('heading', { name: words('employer.hire.lookupTitle') }).count()).toBe(0);
  await context.checkPage(page, locale);

  // End the employment, with its date and reason, in an inline step.
  await page.goto(`${baseUrl}/employer/employments`);
  await page.getByRole('heading', { name: words('employer.employments.title'), level: 1 }).waitFor();
  // Named for what it lists: every employment, ended ones too, unless filtered.
  expect(await page.getByRole('navigation').getByRole('link', { name: words('nav.employerEmployments'), exact: true }).count()).toBe(1);
  expect(await page.getByLabel(words('employer.employments.filter'), { exact: true }).inputValue()).toBe('');
  const endButton = page.getByRole('button', { name: words('employer.end.start', { name: certified.name }) });
  await endButton.waitFor();
  await context.checkPage(page, locale, 'employer-employments');
  await endButton.click();
  const step = page.getByRole('group', { name: words('employer.end.confirmTitle', { name: certified.name }) });
  const endReason = step.getByLabel(words('employer.end.reason'));
  await endReason.fill('合同期满');
  // The reason outlives any erasure of the person's data: the field says so, tied to it for those who hear it.
  const hint = await endReason.getAttribute('aria-describedby');
  expect(await page.locator(`[id="${hint}"]`).innerText()).toBe(words('hint.keptForGood'));
  // An end before the employment's start (today) is said at the date field, and nothing is sent.
  const endDate = step.getByLabel(words('employer.end.date'));
  const endsSent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/end')) endsSent.push(request.url());
  });
  await endDate.fill('2021-06-30');
  const beforeStart = words('employer.end.beforeStart', { startDate: today });
  await step.getByText(beforeStart, { exact: true }).waitFor();
  expect(await endDate.getAttribute('aria-invalid')).toBe('true');
  expect(await page.locator(`[id="${await endDate.getAttribute('aria-describedby')}"]`).innerText()).toBe(beforeStart);
  await context.checkPage(page, locale);
  await step.getByRole('button', { name: words('employer.end.confirm'), exact: true }).click();
  await expectFocused(endDate);
  expect(endsSent).toEqual([]);
  expect(await step.getByRole('alert').count()).toBe(0);
  await endDate.fill(today);
  expect(await step.getByText(beforeStart, { exact: true }).count()).toBe(0);
  // The first answer is lost on its way back (the employment ends all the same): said as a failure; pressed
  // again, the same Idempotency-Key has the API answer the first, not refuse an employment already ended.
  const endKeys = await loseFirstAnswer(page, '**/api/v1/employments/*/end');
  await step.getByRole('button', { name: words('employer.end.confirm'), exact: true }).click();
  await step.getByRole('alert').filter({ hasText: words('common.failed') }).waitFor();
  await step.getByRole('button', { name: words('employer.end.confirm'), exact: true }).click();
  await page.getByRole('row').filter({ hasText: certified.name }).getByText('合同期满').waitFor();
  await page.unroute('**/api/v1/employments/*/end');
  expect(endKeys).toHaveLength(2);
  expect(endKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(endKeys[1]).toBe(endKeys[0]);
  // The step went with the row's change: focus is on the line saying whose employment was ended.
  await expectFocused(page.getByRole('status').filter({ hasText: words('employer.employments.ended', { name: certified.name }) }));

  // Close the oldest placement, on the list's second page (its answer lost once, as above): its row says it
  // closed at once, and the list stays where it was.
  await page.goto(`${baseUrl}/employer/placements`);
  await page.getByRole('heading', { name: words('employer.placements.title'), level: 1 }).waitFor();
  const oldest = more[0];
  const oldestRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: oldest.title, exact: true }) });
  await page.getByRole('button', { name: words('common.more'), exact: true }).click();
  await oldestRow.getByRole('button', { name: words('employer.close.start', { title: oldest.title }), exact: true }).click();
  const closeKeys = await loseFirstAnswer(page, `**/api/v1/placements/${oldest.id}/close`);
  await oldestRow.getByRole('button', { name: words('employer.close.confirm'), exact: true }).click();
  await oldestRow.getByRole('alert').filter({ hasText: words('common.failed') }).waitFor();
  await oldestRow.getByRole('button', { name: words('employer.close.confirm'), exact: true }).click();
  await oldestRow.getByRole('cell', { name: words('employer.status.closed'), exact: true }).waitFor({ timeout: 5_000 });
  // The placement filled above and never closed says filled, not closed; the one still open says open.
  const filledRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: filled.title, exact: true }) });
  await filledRow.getByRole('cell', { name: words('employer.status.filled'), exact: true }).waitFor();
  await row.getByRole('cell', { name: words('employer.status.open'), exact: true }).waitFor();
  // The step went with its row's change: focus is on the line saying which placement was closed.
  await expectFocused(page.getByRole('status').filter({ hasText: words('employer.placements.closed', { title: oldest.title }) }));
  await page.unroute(`**/api/v1/placements/${oldest.id}/close`);
  expect(closeKeys).toHaveLength(2);
  expect(closeKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(closeKeys[1]).toBe(closeKeys[0]);
  // Both pages' rows still shown: the employer's three-and-twenty placements, none read again from the first page.
  expect(await page.locator('tbody tr').count()).toBe(23);
  await context.checkPage(page, locale);
  // Closed with openings left: its page says closed, and why there is no hire form.
  await oldestRow.getByRole('link', { name: oldest.title, exact: true }).click();
  await page.getByRole('heading', { name: oldest.title, level: 1 }).waitFor();
  // Closed today, as the server's business day (China) has it.
  expect(await page.getByTestId('placement-state-note').innerText()).toBe(words('employer.placement.closedNote', { date: businessDateOf(new Date()) }));
  await page.getByText(words('employer.status.closed'), { exact: true }).waitFor();
  // The filled placement closed too (through the API): its page says closed, on its day, no longer filled.
  const closedWhenFilled = await http(baseUrl, 'POST', `/api/v1/placements/${filled.id}/close`, undefined, bearer(await staffApi.renew()));
  expect(closedWhenFilled.status).toBe(200);
  // The page reads the placements board, a read model a moment behind the command.
  await waitFor(async () => {
    const board = await http(baseUrl, 'GET', `/api/v1/placements?employerId=${employer.id}&status=closed&limit=100`);
    return board.body.items.some((item: { id: string; closedOn: string | null }) => item.id === filled.id && item.closedOn) || undefined;
  }, { description: 'the filled placement closed on the board' });
  await page.goto(`${baseUrl}/employer/placements/${filled.id}`);
  await page.getByRole('heading', { name: filled.title, level: 1 }).waitFor();
  expect(await page.getByTestId('placement-state-note').innerText()).toBe(words('employer.placement.closedNote', { date: closedWhenFilled.body.closedOn }));
  await page.getByText(words('employer.status.closed'), { exact: true }).waitFor();

  // The trainee's archive as the employer reads it, opened from their name in the employments' list: the
  // hire and its end name the occupation (placement's facts carry the employer's id and the occupation, no
  // employer name or title).
  await page.goto(`${baseUrl}/employer/employments`);
  await page.getByRole('row').filter({ hasText: '合同期满' }).getByRole('link', { name: certified.name, exact: true }).click();
  await page.waitForURL(`${baseUrl}/trainees/${certified.id}/archive`);
  const hired = page.locator('li[data-kind="hired"]');
  const ended = page.locator('li[data-kind="employment_ended"]');
  await hired.getByText(occupationLabel(WELDER, locale), { exact: false }).waitFor();
  expect(await hired.innerText()).toContain(WELDER);
  await ended.getByText('合同期满', { exact: false }).waitFor();
  expect(await ended.innerText()).toContain(occupationLabel(WELDER, locale));
  // The employer's staff read their hire's monthly wage (the hire form's default, the placement's lowest) and why it ended.
  expect(await hired.innerText()).toContain(words('worker.archive.monthlyWage', { amount: '7,000' }));
  expect(await ended.innerText()).toContain(words('worker.archive.endReason', { reason: '合同期满' }));
  // And how complete the archive is, read consistent.
  expect(await page.getByTestId('archive-freshness').innerText()).toContain(words('freshness.completeUpTo', { at: '\u0000' }).split('\u0000')[0]);
  await context.checkPage(page, locale);

  // Signed out: the public board shows the placement and the wages hired at each level in the district.
  const visitor = await context.newPage();
  await visitor.goto(`${baseUrl}/placements`);
  if (locale === 'en') {
    await visitor.getByRole('button', { name: wordsOf('zh-CN')('layout.switchLanguage') }).click();
    await visitor.waitForFunction((wanted) => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang === wanted, locale);
  }
  await visitor.getByRole('heading', { name: words('board.title'), level: 1 }).waitFor();
  await visitor.getByLabel(words('employer.placement.occupation')).fill(WELDER);
  await visitor.getByLabel(words('employer.placement.region')).fill(district);
  await visitor.getByRole('button', { name: words('common.search'), exact: true }).click();
  await visitor.getByRole('cell', { name: title }).waitFor();
  const insight = visitor.getByTestId('wage-insight');
  const none = insight.getByRole('row').filter({ has: visitor.getByRole('rowheader', { name: words('board.wages.noCertificate') }) });
  // The insight is read after the board's list: wait for its figures before reading the row.
  // Amounts grouped as the language writes them (both write 6,500).
  await none.getByRole('cell', { name: '7,000', exact: true }).waitFor();
  // Quartiles only from 20 hires: five show their median alone (rounded to 100 yuan).
  expect(await none.getByRole('cell').allInnerTexts()).toEqual(['5', '—', '7,000', '—']);
  const junior = insight.getByRole('row').filter({ has: visitor.getByRole('rowheader', { name: words('level.junior'), exact: true }) });
  expect(await junior.getByRole('cell').allInnerTexts()).toEqual([words('board.wages.tooFew', { minimum: 5 })]);
  await context.checkPage(visitor, locale, 'placements-board');
}

/** The hire form's audited lookup: identity number and name, exactly. */
async function lookUp(page: Page, locale: Locale, person: { idNumber: string; name: string }): Promise<void> {
  const words = wordsOf(locale);
  await page.getByLabel(words('trainee.idNumber')).fill(person.idNumber);
  await page.getByLabel(words('trainee.name')).fill(person.name);
  await page.getByRole('button', { name: words('employer.hire.lookupSubmit'), exact: true }).click();
  await page.getByRole('heading', { name: words('employer.hire.title', { name: maskName(person.name) }) }).waitFor();
}
