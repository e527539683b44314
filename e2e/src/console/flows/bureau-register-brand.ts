// A bureau officer registers a labour brand in the browser (domain.md sections 5 and 9): a city's bureau with a
// school and an employer in one of its districts and a school in another province, all through the API. The
// officer opens the register page from the navigation, finds its region and tier filled in, adds the school by
// name with the organisation finder and types the other province's school's credit code as a second unit: the
// server refuses that unit at its row (building_unit_outside_region), the keyboard there. Corrected to the
// employer, the brand is registered and the officer lands on its page. The same name again is refused at the
// name, with a link to the brand that has it. On its page the brand is corrected (更正品牌信息): the other province's
// school added as a unit is refused at the units' field, then the name corrected. Checked with axe-core in both
// modes, the refusals shown.
import { occupationLabel } from '@skills/domain-kernel';
import { bearer, http, testCreditCode, waitFor } from '@skills/testing';
import { Page } from 'playwright-core';
import { Locale, wordsOf } from '../browser';
import { expectFocused, expectSaidAtField } from '../page-checks';
import { WorkspaceContext } from './workspace-context';

const WELDER = '6-18-02-04';

/** Per locale its own city and district (no other flow uses Fujian's codes), a district of another province, and organisations (48 400–48 499). */
const PLACES: Record<Locale, { city: string; district: string; elsewhere: string; organisations: number }> = {
  'zh-CN': { city: '350100', district: '350102', elsewhere: '360102', organisations: 48_400 },
  en: { city: '350200', district: '350203', elsewhere: '360203', organisations: 48_450 },
};

/** The bureau and its officer, the two units inside its region and the one outside. */
async function bureauWithUnits(context: WorkspaceContext, locale: Locale) {
  const base = context.host.baseUrl;
  const { city, district, elsewhere, organisations } = PLACES[locale];
  const made = async (path: string, body: unknown) => {
    const answer = await http(base, 'POST', path, body, bearer(context.adminToken));
    if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  };
  const bureau = await made('/api/v1/bureaus', { name: `登记品牌流程人力资源和社会保障局${locale}`, regionCode: city });
  const school = { name: `登记品牌流程焊接学校${locale}`, creditCode: testCreditCode(organisations) };
  const employer = { name: `登记品牌流程装备制造${locale}`, creditCode: testCreditCode(organisations + 1) };
  const outside = { name: `登记品牌流程外省学校${locale}`, creditCode: testCreditCode(organisations + 2) };
  const ids = [
    bureau,
    await made('/api/v1/providers', { ...school, regionCode: district }),
    await made('/api/v1/employers', { ...employer, industryCode: 'C37', regionCode: district }),
    await made('/api/v1/providers', { ...outside, regionCode: elsewhere }),
  ];
  // The officer's token carries the bureau's region, and the finder lists the units, once identity's register holds them.
  await waitFor(
    async () => {
      const listed = (await http(base, 'GET', '/api/v1/organisations?limit=100')).body.items.map((item: { id: string }) => item.id);
      return ids.every((id) => listed.includes(id)) || undefined;
    },
    { description: 'the organisations to reach identity', timeoutMs: 30_000 },
  );
  const officer = await context.newUser({ role: 'bureau_officer', organisationId: bureau });
  return { officer, city, school, employer, outside };
}

/** The brand's fields but its building units, as an officer types them: rates as percentages. */
async function fillBrand(page: Page, locale: Locale, name: string): Promise<void> {
  const t = wordsOf(locale);
  await page.getByLabel(t('brand.name'), { exact: true }).fill(name);
  await page.getByLabel(t('brandRegister.industry'), { exact: true }).fill('C37');
  await page.getByLabel(t('brandRegister.occupations'), { exact: true }).fill(WELDER);
  await page.getByLabel(t('brandRegister.windowStart'), { exact: true }).fill('2025-01-01');
  await page.getByLabel(t('brandRegister.windowEnd'), { exact: true }).fill('2025-12-31');
  await page.getByLabel(t('brandRegister.minTrained'), { exact: true }).fill('400');
  await page.getByLabel(t('brandRegister.minPassRate'), { exact: true }).fill('85');
  await page.getByLabel(t('brandRegister.minEmploymentRate'), { exact: true }).fill('70');
  await page.getByLabel(t('brandRegister.requiresEthicsTraining'), { exact: true }).check();
}

export async function bureauRegisterBrandFlow(context: WorkspaceContext, locale: Locale): Promise<void> {
  const t = wordsOf(locale);
  const { officer, city, school, employer, outside } = await bureauWithUnits(context, locale);
  const brandName = `闽榕登记流程铆焊工${locale}`;
  const page = await context.newPage();
  await context.signIn(page, officer, locale);
  const openForm = async () => {
    await page.getByRole('navigation').getByRole('link', { name: t('brandRegister.nav'), exact: true }).click();
    await page.getByRole('heading', { name: t('brandRegister.title'), level: 1 }).waitFor();
  };
  const unitRow = (number: number) => page.getByLabel(t('brandRegister.unit', { number }), { exact: true });
  const send = () => page.getByRole('button', { name: t('brandRegister.submit'), exact: true }).click();

  // The brands list offers the page too; the region is the bureau's and the tier the one a city bureau registers.
  await page.getByRole('main').getByRole('link', { name: t('brandRegister.nav'), exact: true }).waitFor();
  await openForm();
  expect(await page.getByLabel(t('brand.region'), { exact: true }).inputValue()).toBe(city);
  expect(await page.getByRole('radio', { name: t('tier.city'), exact: true }).isChecked()).toBe(true);
  await fillBrand(page, locale, brandName);
  // The occupation typed is read back by its name.
  await page.locator('#brand-occupations-read').filter({ hasText: occupationLabel(WELDER, locale) }).waitFor();

  // The school found by name, inside the region, goes into the first row; the other province's school is typed into a second.
  await page.getByLabel(t('admin.picker.search'), { exact: true }).fill(school.name);
  await page.getByRole('button', { name: t('common.search'), exact: true }).click();
  await page.getByRole('list', { name: t('admin.picker.matches') }).getByRole('button').first().click();
  await page.getByText(t('brandRegister.unitAdded', { name: `${school.name}（${school.creditCode}）` })).waitFor();
  expect(await unitRow(1).inputValue()).toBe(school.creditCode);
  await page.getByRole('button', { name: t('brandRegister.addUnit'), exact: true }).click();
  await expectFocused(unitRow(2));
  await page.keyboard.type(outside.creditCode);

  // Refused at its row, the keyboard there.
  await send();
  await expectSaidAtField(unitRow(2), t('fieldRule.building_unit_outside_region'));
  await expectFocused(unitRow(2));
  await context.checkPage(page, locale, 'bureau-register-brand');

  // Corrected to the employer of the district, and sent with Enter: the new brand's page.
  await unitRow(2).fill(employer.creditCode);
  expect(await unitRow(2).getAttribute('aria-invalid')).toBeNull();
  await unitRow(2).press('Enter');
  await page.waitForURL(/\/bureau\/brands\/[0-9a-f-]{36}$/);
  const brandAddress = new URL(page.url()).pathname;
  await page.getByRole('heading', { name: brandName, level: 1 }).waitFor();
  // The percentages typed went as the fractions the API takes, read back as the same percentages.
  await page.getByText(t('policy.minPassRate', { value: '85.0%' }), { exact: true }).waitFor();
  await page.getByText(t('policy.minEmploymentRate', { value: '70.0%' }), { exact: true }).waitFor();

  // The same name again: refused at the name, naming the brand that has it.
  await openForm();
  await fillBrand(page, locale, brandName);
  await unitRow(1).fill(school.creditCode);
  await send();
  const nameField = page.getByLabel(t('brand.name'), { exact: true });
  await expectSaidAtField(nameField, t('rule.brand_name_taken'));
  await expectFocused(nameField);
  const holder = page.getByRole('link', { name: brandName, exact: true });
  expect(await holder.getAttribute('href')).toBe(brandAddress);
  await context.checkPage(page, locale);
  await holder.click();
  await page.getByRole('heading', { name: brandName, level: 1 }).waitFor();
  await correctTheBrand(page, t, { name: brandName, units: [school.creditCode, employer.creditCode], outside: outside.creditCode }, () => context.checkPage(page, locale, 'bureau-brand-correction'));
  await page.close();
}

/**
 * The brand registered with a mistake corrected by the keyboard ("Correct the brand"): the step opens on its name,
 * heard with what may be corrected and what not; nothing changed is said; an empty reason is said at its field; the
 * other province's school added as a unit is refused by the server at the units' field naming its code; corrected,
 * the page shows the new name and the line saying so holds the focus.
 */
async function correctTheBrand(page: Page, t: ReturnType<typeof wordsOf>, brand: { name: string; units: string[]; outside: string }, checkPage: () => Promise<void>): Promise<void> {
  const start = page.getByRole('button', { name: t('brand.correct.start'), exact: true });
  await start.focus();
  await page.keyboard.press('Enter');
  const step = page.getByRole('group', { name: t('brand.correct.confirmTitle', { name: brand.name }), exact: true });
  const name = step.getByLabel(t('brand.correct.name'), { exact: true });
  const units = step.getByLabel(t('brand.correct.buildingUnits'), { exact: true });
  const reason = step.getByLabel(t('brand.correct.reason'), { exact: true });
  const confirm = step.getByRole('button', { name: t('brand.correct.confirm'), exact: true });
  await expectFocused(name);
  const describedBy = ((await name.getAttribute('aria-describedby')) ?? '').split(' ');
  expect(await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()))).toEqual([t('brand.correct.what')]);
  expect(await name.inputValue()).toBe(brand.name);
  expect(await units.inputValue()).toBe(brand.units.join(', '));

  // Nothing changed: said, nothing sent.
  await confirm.focus();
  await page.keyboard.press('Enter');
  await step.getByText(t('brand.correct.unchanged'), { exact: true }).waitFor();
  // A changed brand without a reason: said at the reason's field.
  await name.fill(`${brand.name}（更正）`);
  await confirm.click();
  await expectSaidAtField(reason, t('brand.correct.reasonRequired'));
  await expectFocused(reason);
  // The other province's school as a third unit: the server's refusal said at the units' field, naming the code.
  await reason.fill('登记时品牌名称录入错误');
  await units.fill([...brand.units, brand.outside].join(', '));
  await confirm.click();
  await expectSaidAtField(units, `${brand.outside} ${t('fieldRule.building_unit_outside_region')}`);
  await expectFocused(units);
  await checkPage();

  // Corrected: the page shows the new name, and the line saying so holds the focus.
  await units.fill(brand.units.join(', '));
  await confirm.click();
  await expectFocused(page.getByRole('status').filter({ hasText: t('brand.corrected') }));
  await page.getByRole('heading', { level: 1, name: `${brand.name}（更正）`, exact: true }).waitFor();
}
