// Bulk imports in the browser: a school's clerk uploads a small CSV of trainees, is shown what the dry run
// refused before anything is written (the refused rows listed with their reasons in the reader's words, and
// to download), confirms leaving that row out, and, while another replica's runner is still at another file
// of the school's, is told the run waits for it; then sees the import done with three trainees created. A
// file another clerk uploads after their lookups of the hour says which rows went unchecked and when to try
// again. A course's page leads to importing its enrolments and results with the course chosen. Every page
// checked with axe-core in both modes.
// On the way: a header missing columns is refused naming them; an upload whose answer was lost, sent again,
// makes no second job; the job's page, its reads answered 502 for a while, goes on to the end by itself.
import { holdImportJob, LOOKUPS_PER_HOUR } from '@skills/trainee-service';
import { http, importClient, testAdultIdentityNumber, testCreditCode } from '@skills/testing';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { Locale, wordsOf } from '../browser';
import { WorkspaceContext } from './workspace-context';

/** This area's numbers (880_000–880_999): per locale its own school and people, as both share the platform. */
const FIRST_NUMBER: Record<Locale, number> = { 'zh-CN': 880_000, en: 880_100 };

/** Three people the school registers, and a fourth whose identity number's check digit is wrong. */
function traineesCsv(first: number): string {
  const rows = [0, 1, 2, 3].map((index) => [`导入学员${index}`, testAdultIdentityNumber(first + index), `1388800${String(first + index).slice(-4)}`, '430200']);
  const wrong = rows[3][1];
  rows[3][1] = wrong.slice(0, 17) + (wrong[17] === '0' ? '1' : '0');
  return [['姓名', '身份证号', '手机号', '地区代码'], ...rows].map((row) => row.join(',')).join('\r\n') + '\r\n';
}

/**
 * Another file of the school's (two more people), asked to run while another replica's runner holds it
 * (held here as a runner holds a job): a run of the school's trainees asked after it waits until `release`.
 */
async function anotherFileHeldRunning(context: WorkspaceContext, asClerk: Record<string, string>, first: number) {
  const imports = importClient(context.host.baseUrl, asClerk);
  const people = [4, 5].map((index) => [`另一批学员${index}`, testAdultIdentityNumber(first + index), `1388800${String(first + index).slice(-4)}`, '430200']);
  const csv = [['姓名', '身份证号', '手机号', '地区代码'], ...people].map((row) => row.join(',')).join('\r\n') + '\r\n';
  const job = await imports.upload({ bytes: Buffer.from(csv, 'utf8'), name: '另一批名单.csv' }, { kind: 'trainees' });
  expect(await imports.settled(job.body.id)).toMatchObject({ state: 'ready', refused: 0 });
  const holder = new Client({ connectionString: context.databaseUrl });
  await holder.connect();
  const letGo = await holdImportJob(holder, job.body.id);
  const release = async () => {
    await letGo();
    await holder.end();
  };
  const asked = await imports.run(job.body.id).catch(async (error) => {
    await release();
    throw error;
  });
  expect(asked.status).toBe(202);
  return { jobId: job.body.id, release };
}

export async function importsFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { host } = context;
  const first = FIRST_NUMBER[locale];
  const admin = { authorization: `Bearer ${context.adminToken}` };

  // Set up through the API: the school and its clerk.
  const provider = await http(host.baseUrl, 'POST', '/api/v1/providers', { name: `导入流程培训学校 ${locale}`, creditCode: testCreditCode(first), regionCode: '430200' }, admin);
  if (provider.status !== 201) throw new Error(`registering the school answered ${provider.status}: ${JSON.stringify(provider.body)}`);
  const clerk = await context.newUser({ role: 'school_staff', organisationId: provider.body.id as string });

  // The upload page, from the navigation: the template to start from, the file.
  const page = await context.newPage();
  await context.signIn(page, clerk, locale);
  await page.getByRole('link', { name: t('imports.kind.trainees'), exact: true }).click();
  await page.getByRole('heading', { name: t('imports.kind.trainees'), level: 1 }).waitFor();
  // One link of the navigation says it is the current page: the upload's, not also the list's that its path is under.
  const navigation = page.getByRole('navigation', { name: t('layout.mainNavigation') });
  expect(await navigation.locator('[aria-current="page"]').allTextContents()).toEqual([t('imports.kind.trainees')]);
  expect(await page.getByRole('link', { name: t('imports.upload.template') }).getAttribute('href')).toBe('/api/v1/imports/templates/trainees');
  // The Excel template first, described by the line on its text columns; it downloads a workbook.
  const workbookLink = page.getByRole('link', { name: t('importTemplates.xlsx') });
  expect(await page.locator(`#${await workbookLink.getAttribute('aria-describedby')}`).textContent()).toBe(t('importTemplates.hint'));
  const workbook = await page.request.get(new URL((await workbookLink.getAttribute('href')) as string, page.url()).toString());
  expect([workbook.status(), workbook.headers()['content-disposition']]).toEqual([200, 'attachment; filename="import-trainees.xlsx"']);
  // The way back to earlier uploads, from the upload page too.
  expect(await page.getByRole('main').getByRole('link', { name: t('importJobs.listLink') }).getAttribute('href')).toBe('/imports');
  const fileField = page.getByLabel(t('imports.upload.file'));
  const submit = page.getByRole('button', { name: t('imports.upload.submit') });
  const roster = { name: '学员名单.csv', mimeType: 'text/csv', buffer: Buffer.from(traineesCsv(first), 'utf8') };
  await fileField.setInputFiles(roster);
  await context.checkPage(page, locale, 'imports-upload');

  // A header without the identity number and phone columns: refused, the rule's words and the columns the server names.
  await fileField.setInputFiles({ name: '缺列名单.csv', mimeType: 'text/csv', buffer: Buffer.from('姓名,地区代码\r\n缺列学员,430200\r\n', 'utf8') });
  await submit.click();
  const missing = page.getByRole('alert').filter({ hasText: t('fieldRule.missing_columns') });
  await missing.waitFor();
  expect(await missing.innerText()).toContain('缺少必填列：身份证号、手机号');
  await context.checkPage(page, locale);

  await fileField.setInputFiles(roster);
  // The first upload's answer is lost on the way back (the job made all the same): pressed again, the page
  // is taken to that job, not to a second dry run of the same file.
  const uploads = (url: URL) => url.pathname === '/api/v1/imports';
  let madeFirst: { status: number; id?: string } | undefined;
  await page.route(
    uploads,
    async (route) => {
      const answer = await route.fetch();
      madeFirst = { status: answer.status(), id: ((await answer.json()) as { id?: string }).id };
      await route.abort('connectionreset');
    },
    { times: 1 },
  );
  await submit.click();
  await page.getByRole('alert').filter({ hasText: t('common.failed') }).waitFor();
  expect(madeFirst).toMatchObject({ status: 202, id: expect.any(String) });
  const jobId = String(madeFirst?.id);
  await page.unroute(uploads);
  await submit.click();
  await page.waitForURL(new RegExp(`/imports/${jobId}$`));

  // The dry run: one row refused, nothing written yet; the refused row listed with its column and reason in
  // the reader's words, and downloadable with its reason under the file's own header.
  await page.getByText(t('imports.ready.refused', { refused: 1, good: 3 })).waitFor({ timeout: 60_000 });
  await page.getByRole('status').filter({ hasText: t('imports.state.ready') }).waitFor();
  expect(await page.getByTestId('import-refused').innerText()).toBe('1');
  expect(await page.getByTestId('import-created').innerText()).toBe('0');
  const refusedList = page.getByRole('table', { name: t('imports.refusedRows.title') });
  await refusedList.waitFor();
  expect(await refusedList.locator('tbody tr').count()).toBe(1);
  expect(await refusedList.locator('tbody tr').getByRole('cell').allInnerTexts()).toEqual(['5', t('field.idNumber'), t('fieldRule.isIdentityNumber')]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: t('imports.errors.download') }).click()]);
  const refusedRows = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  expect(refusedRows).toHaveLength(2);
  expect(refusedRows[1]).toMatch(/^5,/);
  expect(refusedRows[1]).toContain('身份证号 (idNumber): isIdentityNumber (');
  await context.checkPage(page, locale, 'imports-job');

  // The school's clerk, through the API, for what the flow sets up or checks there.
  const token = await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: clerk.username, password: clerk.password });
  const asClerk = { authorization: `Bearer ${token.body.access_token as string}` };

  // Leaving the refused row out is confirmed in place. Another replica's runner is still at another file
  // of the school's, asked to run just before: the run says it waits for that one, with nothing of it
  // written, then goes on to the end once that one is done.
  await page.getByRole('button', { name: t('imports.skip.start') }).click();
  await page.getByText(t('imports.skip.confirmTitle', { good: 3, refused: 1 })).waitFor();
  await context.checkPage(page, locale);
  const another = await anotherFileHeldRunning(context, asClerk, first);
  try {
    await page.getByRole('button', { name: t('imports.skip.confirm'), exact: true }).click();
    await page.getByRole('status').filter({ hasText: t('imports.state.waiting') }).waitFor({ timeout: 60_000 });
    await page.getByText(t('imports.job.progress', { done: 1, total: 4 })).waitFor();
    expect(await page.getByTestId('import-created').innerText()).toBe('0');
    await context.checkPage(page, locale, 'imports-waiting');

    // trainee-service restarting, a while: the gateway answers the job's reads 502. The page says so and that
    // it reads again by itself, and does: once the reads are answered again, it carries on to the end.
    let gatewayDown = true;
    const jobReads = (url: URL) => url.pathname === `/api/v1/imports/${jobId}`;
    await page.route(jobReads, (route) =>
      gatewayDown ? route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }) : route.fallback(),
    );
    const unreachable = page.getByRole('alert').filter({ hasText: t('status.502') });
    await unreachable.filter({ hasText: t('imports.job.readingAgain') }).waitFor();
    await context.checkPage(page, locale);
    gatewayDown = false;
    await unreachable.waitFor({ state: 'detached', timeout: 60_000 });
    await page.unroute(jobReads);
  } finally {
    await another.release();
  }
  await page.getByRole('status').filter({ hasText: t('imports.state.done') }).waitFor({ timeout: 60_000 });
  expect(await page.getByRole('alert').count()).toBe(0);
  expect(await page.getByTestId('import-created').innerText()).toBe('3');
  expect(await page.getByTestId('import-refused').innerText()).toBe('1');
  await page.getByText(t('imports.job.progress', { done: 4, total: 4 })).waitFor();
  await page.getByRole('button', { name: t('imports.errors.download') }).waitFor();
  await context.checkPage(page, locale);
  expect(await importClient(host.baseUrl, asClerk).job(another.jobId)).toMatchObject({ state: 'done', created: 2 });

  // The job is found again once its page is left: the school's imports, from the navigation, newest first,
  // each by its file's name, its state in the job page's words, who uploaded it (the clerk's username), and
  // linked to its page.
  await page.getByRole('navigation').getByRole('link', { name: t('importJobs.title'), exact: true }).click();
  await page.getByRole('heading', { name: t('importJobs.title'), level: 1 }).waitFor();
  const jobs = page.getByRole('table', { name: t('importJobs.title') });
  await jobs.getByRole('link', { name: '学员名单.csv' }).waitFor();
  expect(await jobs.locator('tbody tr td:first-child').allInnerTexts()).toEqual(['另一批名单.csv', '学员名单.csv']);
  const listed = jobs.locator('tbody tr').filter({ hasText: '学员名单.csv' });
  expect(await listed.getByRole('cell').allInnerTexts()).toEqual([
    '学员名单.csv',
    t('imports.kind.trainees'),
    t('imports.state.done'),
    t('importJobs.countsLine', { total: 4, created: 3, alreadyPresent: 0, corrected: 0, refused: 1 }),
    expect.any(String),
    clerk.username,
  ]);
  expect(await jobs.getByRole('columnheader').last().innerText()).toBe(t('importUploader.column'));
  await context.checkPage(page, locale);
  await listed.getByRole('link', { name: '学员名单.csv' }).click();
  await page.waitForURL(new RegExp(`/imports/${jobId}$`));
  await page.getByRole('status').filter({ hasText: t('imports.state.done') }).waitFor();

  // The five (three of this file, two of the other) are the school's trainees now.
  const trainees = await http(host.baseUrl, 'GET', '/api/v1/trainees?limit=10', undefined, asClerk);
  expect(trainees.body.items).toHaveLength(5);

  // Another clerk, past their lookups of the hour, uploads a file of one new person: the row is refused
  // unchecked, and the job's page says so and when to upload it again.
  const busyClerk = await context.newUser({ role: 'school_staff', organisationId: provider.body.id as string });
  const busyToken = await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username: busyClerk.username, password: busyClerk.password });
  const asBusyClerk = { authorization: `Bearer ${busyToken.body.access_token as string}` };
  for (let made = 0; made < LOOKUPS_PER_HOUR; made++) {
    const lookup = await http(host.baseUrl, 'POST', '/api/v1/trainees/lookup', { idNumber: testAdultIdentityNumber(first + 10 + made), name: '查无此人' }, asBusyClerk);
    expect(lookup.status).toBe(404);
  }
  const onePerson = [['姓名', '身份证号', '手机号', '地区代码'], ['晚来学员', testAdultIdentityNumber(first + 10 + LOOKUPS_PER_HOUR), '13888009999', '430200']];
  const unchecked = await importClient(host.baseUrl, asBusyClerk).upload({ bytes: Buffer.from(onePerson.map((row) => row.join(',')).join('\r\n'), 'utf8'), name: '晚来名单.csv' }, { kind: 'trainees' });
  expect(await importClient(host.baseUrl, asBusyClerk).settled(unchecked.body.id)).toMatchObject({ state: 'ready', refused: 1, tooManyLookups: 1 });
  await page.goto(`${host.baseUrl}/imports/${unchecked.body.id as string}`);
  await page.getByText(t('imports.tooManyLookups', { count: 1 })).waitFor();
  expect(await page.getByTestId('import-refused').innerText()).toBe('1');
  await context.checkPage(page, locale, 'imports-too-many-lookups');

  // A course's page leads to importing its enrolments and results, with the course already chosen.
  const course = await http(host.baseUrl, 'POST', '/api/v1/courses', { providerId: provider.body.id, title: `导入流程焊工班 ${locale}`, occupationCode: '6-18-02-04', kind: 'skill', capacity: 30, startDate: '2025-03-01', endDate: '2025-06-30' }, asClerk);
  if (course.status !== 201) throw new Error(`scheduling the course answered ${course.status}: ${JSON.stringify(course.body)}`);
  await page.goto(`${host.baseUrl}/school/courses/${course.body.id as string}`);
  await page.getByRole('main').getByRole('link', { name: t('imports.kind.enrolments_and_results'), exact: true }).click();
  await page.getByRole('heading', { name: t('imports.kind.enrolments_and_results'), level: 1 }).waitFor();
  const picker = page.getByLabel(t('imports.upload.course'), { exact: true });
  await picker.waitFor();
  expect(await picker.inputValue()).toBe(course.body.id);
  await context.checkPage(page, locale);
}
