// The files a bureau downloads: text a school typed (a course title) must not run in Excel, and a cell the
// answer does not show (null) is empty.
import { StreamableFile } from '@nestjs/common';
import { Workbook } from 'exceljs';
import { regionFigures } from '../figures/region-figures';
import { ALL } from '../figures/trainee-figures';
import { outcomesTable, regionTable } from './statistics-tables';
import { exportFile } from './table-export';

const bytesOf = async (file: StreamableFile): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of file.getStream()) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
};

const csvLines = async (file: StreamableFile) => (await bytesOf(file)).toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);

describe('table exports', () => {
  const outcomes = (title: string) =>
    outcomesTable('school', '2025-Q3', { graduates: 2, employedWithin3Months: 1, employedWithin6Months: 2, courses: [{ courseId: 'c1', title, graduates: 2, employedWithin3Months: 1, employedWithin6Months: 2 }] });

  it("keeps a course title that looks like a formula from running when the CSV is opened in Excel (a leading ')", async () => {
    for (const title of ['=1+1', '=HYPERLINK("http://example.com/?x="&A1,"点击")', '+1+1', '-1+1', '@SUM(A1)']) {
      const lines = await csvLines(await exportFile(outcomes(title), 'csv'));
      const cell = lines[1].split(',')[1];
      expect(cell.replace(/^"/, '')).toMatch(/^'/);
      expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
    }
    // The figures themselves are untouched.
    expect(await csvLines(await exportFile(outcomes('焊工（中级）2025'), 'csv'))).toEqual(['课程编号,课程名称,毕业人数,3个月内就业人数,6个月内就业人数', 'c1,焊工（中级）2025,2,1,2', ',合计,2,1,2']);
  });

  it('writes such a title into the .xlsx as text, not a formula', async () => {
    const workbook = new Workbook();
    await workbook.xlsx.load((await bytesOf(await exportFile(outcomes('=1+1'), 'xlsx'))) as unknown as ArrayBuffer);
    const cell = workbook.worksheets[0].getRow(2).getCell(2);
    expect(cell.value).toBe('=1+1');
    expect(cell.formula).toBeUndefined();
  });

  it("leaves a category's hidden count an empty cell, and shows a 5", async () => {
    // Everyone: 5 trained, 1 of them disabled.
    const rows = [
      { category: ALL, figure: 'trained', dimension: '', value: 5 },
      { category: ALL, figure: 'sessions', dimension: '', value: 5 },
      { category: 'disabled', figure: 'trained', dimension: '', value: 1 },
      { category: 'disabled', figure: 'sessions', dimension: '', value: 1 },
      { category: 'veteran', figure: 'trained', dimension: '', value: 5 },
      { category: 'veteran', figure: 'sessions', dimension: '', value: 5 },
    ];
    const lines = await csvLines(await exportFile(regionTable('430202', '2025-07', regionFigures(rows, new Map())), 'csv'));
    expect(lines[0]).toBe('指标,合计,脱贫人口（建档立卡）,城镇登记失业人员,农村转移就业劳动力,退役军人,残疾人,高校毕业生');
    expect(lines).toContain('培训人数,5,,,,5,,');
    expect(lines).toContain('培训人次,5,,,,5,,');
  });
});
