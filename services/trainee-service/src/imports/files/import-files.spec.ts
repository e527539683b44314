import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import { unzipSync, Zip, ZipDeflate, type ZipInputFile } from 'fflate';
import iconv from 'iconv-lite';
import { readIdentityNumber } from '@skills/domain-kernel';
import { testIdentityNumber } from '@skills/testing';
import { type FileRow, IMPORT_COLUMNS, IMPORT_KINDS, importErrorsCsv, ImportFileRefused, type ImportKind, importTemplateCsv, importTemplateXlsx, readImportFile } from './index';
import { UNPACKED_LIMITS } from './zip-bomb';

const ID = '430202199001011233';
const ID_X = '11010519491231002X';
const BOM = '\ufeff';

const csvBytes = (lines: string[], encoding: 'utf8' | 'utf8-bom' | 'gb18030' = 'utf8'): Buffer => {
  const text = lines.join('\r\n');
  if (encoding === 'gb18030') return iconv.encode(text, 'gb18030');
  return Buffer.from(encoding === 'utf8-bom' ? BOM + text : text, 'utf8');
};

const read = (buffer: Buffer, kind: ImportKind, originalname = 'rows.csv', options?: { maxRows?: number }): Promise<FileRow[]> =>
  readImportFile({ buffer, originalname }, kind, options);

async function xlsxBytes(build: (workbook: Workbook) => void): Promise<Buffer> {
  const workbook = new Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A trainees workbook, written as streaming writers write one (each part's sizes after its data), with
 * `part` (its original content, if any, before its last closing tag) grown by `grownBy` bytes of one
 * repeated string, while its sizes and the ZIP directory say 1 KiB. The growth is one block of about a
 * megabyte, deflated once and laid end to end (it ends on a byte and refers to nothing before it): a few
 * hundred KB that inflate to hundreds of MB, built without holding them.
 */
async function understatedWorkbook(part: string, grownBy: number): Promise<Buffer> {
  const parts = unzipSync(
    await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('学员');
      sheet.addRow(['姓名', '身份证号', '手机号']);
      sheet.addRow(['张三', ID, '13800000000']);
    }),
  );
  const original = Buffer.from(parts[part] ?? []).toString('utf8');
  const cut = Math.max(original.lastIndexOf('</'), 0);
  const block = Buffer.from('<si><t>张三</t></si>'.repeat(1 << 16));
  const notLast = { finishFlush: constants.Z_SYNC_FLUSH };
  const deflated = Buffer.concat([
    deflateRawSync(Buffer.from(original.slice(0, cut)), notLast),
    ...Array<Buffer>(Math.ceil(grownBy / block.length)).fill(deflateRawSync(block, notLast)),
    deflateRawSync(Buffer.from(original.slice(cut))),
  ]);
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const [name, data] of Object.entries({ ...parts, [part]: new Uint8Array() })) {
    if (name === part) {
      // Nothing on the way checks the CRC.
      const understated: ZipInputFile = { filename: name, compression: 8, size: 1024, crc: 0 };
      zip.add(understated);
      understated.ondata!(null, deflated, true);
    } else {
      const file = new ZipDeflate(name);
      zip.add(file);
      file.push(data, true);
    }
  }
  zip.end();
  return Buffer.concat(chunks);
}

/** Reads a CSV the platform writes, the way a spreadsheet would. */
const csvRecords = (csv: string): string[][] => parse(csv.replace(/^\ufeff/, ''), { relax_column_count: true });

async function refusal(reading: Promise<unknown>): Promise<ImportFileRefused> {
  const error = await reading.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportFileRefused);
  return error as ImportFileRefused;
}

describe('reading a CSV of trainees', () => {
  const lines = ['姓名,身份证号,手机号,地区代码,人员类别', `张三,${ID},13800000000,430200,脱贫人口、退役军人`, `李四,${ID_X},138-0000-0001,,`];

  it.each([
    ['UTF-8 without a BOM', csvBytes(lines)],
    ['UTF-8 with a BOM', csvBytes(lines, 'utf8-bom')],
    ['GB18030', csvBytes(lines, 'gb18030')],
  ])('reads %s into cells and normalised fields', async (_encoding, buffer) => {
    const rows = await read(buffer, 'trainees');

    expect(rows).toEqual<FileRow[]>([
      {
        row: 2,
        cells: { 姓名: '张三', 身份证号: ID, 手机号: '13800000000', 地区代码: '430200', 人员类别: '脱贫人口、退役军人' },
        fields: { name: '张三', idNumber: ID, phone: '13800000000', regionCode: '430200', categories: 'poverty_registered,veteran' },
        problems: [],
      },
      {
        row: 3,
        cells: { 姓名: '李四', 身份证号: ID_X, 手机号: '138-0000-0001', 地区代码: '', 人员类别: '' },
        fields: { name: '李四', idNumber: ID_X, phone: '13800000001', regionCode: undefined, categories: undefined },
        problems: [],
      },
    ]);
  });

  it('reads rare name characters from a GB18030 file (four-byte sequences beyond GBK)', async () => {
    const buffer = csvBytes(['姓名,身份证号,手机号', `王㛃,${ID},13800000000`, `李䶮,${ID_X},13800000001`], 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buffer)).toThrow();

    const rows = await read(buffer, 'trainees');

    expect(rows.map((row) => row.fields.name)).toEqual(['王㛃', '李䶮']);
  });

  it('matches English headers, synonyms and headers marked as required; unknown columns stay in cells only', async () => {
    const buffer = csvBytes(['Name, ID Number ,联系电话（必填）,*备注,region_code', `张三,${ID},13800000000,老学员,430200`]);

    const [row] = await read(buffer, 'trainees');

    expect(row.cells).toEqual({ Name: '张三', 'ID Number': ID, '联系电话（必填）': '13800000000', '*备注': '老学员', region_code: '430200' });
    expect(Object.keys(row.cells)).toEqual(['Name', 'ID Number', '联系电话（必填）', '*备注', 'region_code']);
    expect(row.fields).toEqual({ name: '张三', idNumber: ID, phone: '13800000000', regionCode: '430200', categories: undefined });
  });

  it('refuses a file without a required column, naming it in Chinese and English', async () => {
    const error = await refusal(read(csvBytes(['姓名,电子邮箱', '张三,a@example.com']), 'trainees'));

    expect(error).toMatchObject({ field: 'file', rule: 'missing_columns' });
    expect(error.detail).toContain('身份证号、手机号');
    expect(error.detail).toContain('idNumber, phone');
  });

  it('turns full-width digits, letters and spaces into half-width ones', async () => {
    const buffer = csvBytes(['姓名,身份证号,手机号', '\u3000张三\u3000,１１０１０５ １９４９１２３１００２ｘ,１３８００００００００']);

    const [row] = await read(buffer, 'trainees');

    expect(row.fields).toMatchObject({ name: '张三', idNumber: ID_X, phone: '13800000000' });
    expect(row.cells.身份证号).toBe('１１０１０５ １９４９１２３１００２ｘ');
  });

  it('keeps quoted cells with commas, quotes and line breaks whole, and numbers rows as Excel does', async () => {
    const buffer = csvBytes([
      '姓名,身份证号,手机号,备注',
      `"张三",${ID},13800000000,"住址：株洲市, 芦淞区"`,
      `李四,${ID_X},13800000001,"第一行`,
      `第二行 ""引号"""`,
      '',
      ',,,',
      `王五,${ID},13800000002,`,
    ]);

    const rows = await read(buffer, 'trainees');

    expect(rows.map((row) => [row.row, row.fields.name, row.cells.备注])).toEqual([
      [2, '张三', '住址：株洲市, 芦淞区'],
      [3, '李四', '第一行\r\n第二行 "引号"'],
      [6, '王五', ''],
    ]);
  });

  it('reports an identity number Excel turned into a number, without quoting any digits', async () => {
    const buffer = csvBytes(['姓名,身份证号,手机号', '张三,4.30202E+17,13800000000', '李四,4.30202199001012E+17,13800000001']);

    const rows = await read(buffer, 'trainees');

    for (const row of rows) {
      expect(row.fields.idNumber).toBeUndefined();
      expect(row.problems).toEqual([
        {
          field: 'idNumber',
          rule: 'excel_number_lost_digits',
          detail: 'Excel stored the identity number as a number and lost its last digits; format the column as text and enter the numbers again',
        },
      ]);
    }
  });

  it('reports identity numbers Excel saved with their digits shown, 15 of them and then 000, where most of the column ends so', async () => {
    // Three people's numbers as Excel keeps them: 15 digits, then 000; the first passes the check digit (as someone else's).
    const kept = ['430202199001028000', '430202199001029000', '430202199103057000'];
    expect(readIdentityNumber(kept[0]).ok).toBe(true);
    const mangled = await read(csvBytes(['姓名,身份证号,手机号', ...kept.map((number, n) => `学员${n},${number},1380000000${n}`), `李四,${testIdentityNumber(7)},13800000009`]), 'trainees');
    expect(mangled.slice(0, 3).map((row) => [row.fields.idNumber, row.problems.map((problem) => `${problem.field}:${problem.rule}`)])).toEqual(kept.map(() => [undefined, ['idNumber:excel_number_lost_digits']]));
    expect(mangled[3].problems).toEqual([]);
    // One real number ending in 000 among others is read as it is.
    const real = await read(csvBytes(['姓名,身份证号,手机号', `张三,${kept[0]},13800000000`, `李四,${testIdentityNumber(7)},13800000001`, `王五,${testIdentityNumber(8)},13800000002`]), 'trainees');
    expect(real.map((row) => row.problems)).toEqual([[], [], []]);
    expect(real[0].fields.idNumber).toBe(kept[0]);
    // Nor alone (a corrected row sent back on its own): one or two such numbers are no column's habit.
    const alone = await read(csvBytes(['姓名,身份证号,手机号', `张三,${kept[0]},13800000000`]), 'trainees');
    expect(alone[0]).toMatchObject({ fields: { idNumber: kept[0] }, problems: [] });
  });

  it('reads categories in Chinese or as API values, and reports unknown ones without quoting them', async () => {
    const buffer = csvBytes([
      '姓名,身份证号,手机号,人员类别',
      `张三,${ID},13800000000,"建档立卡贫困人口; graduate，农民工|rural_migrant"`,
      `李四,${ID},13800000001,残疾人;秘密类别`,
      // The statistics exports' column titles, as the bureaus' forms name them: a file made from an export reads back.
      `王五,${ID},13800000002,"脱贫人口（建档立卡）;城镇登记失业人员;农村转移就业劳动力"`,
    ]);

    const [known, unknown, asExported] = await read(buffer, 'trainees');

    expect(known.fields.categories).toBe('poverty_registered,graduate,rural_migrant');
    expect(asExported.fields.categories).toBe('poverty_registered,urban_unemployed,rural_migrant');
    expect(unknown.fields.categories).toBeUndefined();
    expect(unknown.problems).toEqual([expect.objectContaining({ field: 'categories', rule: 'unknown_category' })]);
    expect(unknown.problems[0].detail).not.toContain('秘密');
  });
});

describe('reading enrolments and results', () => {
  it('reads the date spellings, Excel serials and the words for passed and failed', async () => {
    const buffer = csvBytes([
      '姓名,身份证号,报名日期,考核结果,考核成绩,考核日期',
      `张三,${ID},2025-03-01,是,86,2025/3/20`,
      `李四,${ID},2025.3.1,不合格,59.5,2025年3月20日`,
      `王五,${ID},20250301,TRUE,,45658`,
      `赵六,${ID},10000,n,100,2958465`,
    ]);

    const rows = await read(buffer, 'enrolments_and_results');

    expect(rows.map((row) => row.fields)).toEqual([
      { name: '张三', idNumber: ID, enrolledOn: '2025-03-01', passed: 'true', score: '86', assessedOn: '2025-03-20' },
      { name: '李四', idNumber: ID, enrolledOn: '2025-03-01', passed: 'false', score: '59.5', assessedOn: '2025-03-20' },
      { name: '王五', idNumber: ID, enrolledOn: '2025-03-01', passed: 'true', score: undefined, assessedOn: '2025-01-01' },
      { name: '赵六', idNumber: ID, enrolledOn: '1927-05-18', passed: 'false', score: '100', assessedOn: '9999-12-31' },
    ]);
    expect(rows.flatMap((row) => row.problems)).toEqual([]);
  });

  it('reports impossible dates, unknown answers and scores that are no number', async () => {
    const buffer = csvBytes([
      '姓名,身份证号,报名日期,是否合格,成绩,考核日期',
      `张三,${ID},2025-02-30,也许,八十六,2025`,
      `李四,${ID},下周一,通过,90,2025-13-01`,
    ]);

    const [first, second] = await read(buffer, 'enrolments_and_results');

    expect(first.problems.map(({ field, rule }) => [field, rule])).toEqual([
      ['enrolledOn', 'invalid_date'],
      ['passed', 'invalid_boolean'],
      ['score', 'invalid_number'],
      ['assessedOn', 'invalid_date'],
    ]);
    expect(first.fields).toMatchObject({ enrolledOn: undefined, passed: undefined, score: undefined, assessedOn: undefined });
    expect(second.problems.map(({ field, rule }) => [field, rule])).toEqual([
      ['enrolledOn', 'invalid_date'],
      ['assessedOn', 'invalid_date'],
    ]);
    expect(second.fields.passed).toBe('true');
  });
});

describe('reading certificates', () => {
  it('reads levels in Chinese, by national grade or as API values, and certificate numbers in capitals', async () => {
    const buffer = csvBytes([
      '姓名,身份证号,证书编号,职业代码,技能等级,颁证日期,职业分类版本',
      `张三,${ID},y00a1 43430200 255000017,6-18-02-04,初级工,2025-03-20,2022`,
      `李四,${ID},Y00A143430200214000017,6－18－02－04,四级,2025-03-20,`,
      `王五,${ID},Y00A143430200210000018,6-18-02-04,Senior_Technician,2025-03-20,`,
      `赵六,${ID},Y00A143430200210000019,6-18-02-04,八级工,2025-03-20,`,
    ]);

    const rows = await read(buffer, 'certificates');

    expect(rows[0].fields).toEqual({
      name: '张三',
      idNumber: ID,
      certificateNumber: 'Y00A143430200255000017',
      occupationCode: '6-18-02-04',
      level: 'junior',
      certifiedOn: '2025-03-20',
      occupationEdition: '2022',
    });
    expect(rows.map((row) => row.fields.level)).toEqual(['junior', 'intermediate', 'senior_technician', undefined]);
    expect(rows[1].fields.occupationCode).toBe('6-18-02-04');
    expect(rows[3].problems).toEqual([expect.objectContaining({ field: 'level', rule: 'unknown_level' })]);
  });

  it('reports an old all-digit certificate number Excel showed as 1.343E+15, and keeps other old numbers as given (in capitals)', async () => {
    const buffer = csvBytes([
      '姓名,身份证号,证书编号,职业代码,技能等级,颁证日期',
      `张三,${ID},1.343E+15,6-18-02-04,初级工,2012-07-01`,
      `李四,${ID},1.34300000030012e+15,6-18-02-04,初级工,2012-07-01`,
      `王五,${ID},1343000000300123,6-18-02-04,初级工,2012-07-01`,
      `赵六,${ID},zzjd-2012-004417,6-18-02-04,初级工,2012-07-01`,
      `钱七,${ID},2012E004417,6-18-02-04,初级工,2012-07-01`,
    ]);

    const rows = await read(buffer, 'certificates');

    expect(rows.map((row) => [row.fields.certificateNumber, row.problems.map((problem) => `${problem.field}:${problem.rule}`)])).toEqual([
      [undefined, ['certificateNumber:excel_number_lost_digits']],
      [undefined, ['certificateNumber:excel_number_lost_digits']],
      ['1343000000300123', []],
      ['ZZJD-2012-004417', []],
      ['2012E004417', []],
    ]);
  });
});

describe('reading an .xlsx workbook', () => {
  it('reads the first worksheet: numbers, dates, serials, rich text and formulas', async () => {
    const buffer = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('成绩');
      sheet.addRow(['姓名', '身份证号', '报名日期', '是否合格', '成绩', '考核日期', '备注']);
      sheet.addRow(['张三', ID, new Date(Date.UTC(2025, 2, 1)), '合格', 85.5, 45658, { richText: [{ text: '补' }, { text: '考' }] }]);
      sheet.addRow([]);
      sheet.addRow([{ richText: [{ text: '李' }, { text: '四' }] }, ID_X, '2025/3/1', true, { formula: '80+6', result: 86 }, { formula: 'C2', result: '2025-03-20' }]);
      workbook.addWorksheet('说明').addRow(['姓名', '身份证号']);
    });

    const rows = await read(buffer, 'enrolments_and_results', '成绩.xlsx');

    expect(rows).toEqual<FileRow[]>([
      {
        row: 2,
        // The serial is shown as the date read (the error file is corrected and uploaded again as a CSV).
        cells: { 姓名: '张三', 身份证号: ID, 报名日期: '2025-03-01', 是否合格: '合格', 成绩: '85.5', 考核日期: '2025-01-01', 备注: '补考' },
        fields: { name: '张三', idNumber: ID, enrolledOn: '2025-03-01', passed: 'true', score: '85.5', assessedOn: '2025-01-01' },
        problems: [],
      },
      {
        row: 4,
        cells: { 姓名: '李四', 身份证号: ID_X, 报名日期: '2025/3/1', 是否合格: 'TRUE', 成绩: '86', 考核日期: '2025-03-20', 备注: '' },
        fields: { name: '李四', idNumber: ID_X, enrolledOn: '2025-03-01', passed: 'true', score: '86', assessedOn: '2025-03-20' },
        problems: [],
      },
    ]);
  });

  it('reads the serials of a workbook in the 1904 date system (old Mac Excel) from 1904', async () => {
    const buffer = await xlsxBytes((workbook) => {
      workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('成绩');
      sheet.addRow(['姓名', '身份证号', '报名日期', '是否合格', '考核日期']);
      // 44196 days after 1904-01-01 is 2025-01-01 (45658 in the 1900 system); the date cell is written as a 1904 serial too.
      sheet.addRow(['张三', ID, new Date(Date.UTC(2025, 2, 1)), '合格', 44196]);
    });

    const [row] = await read(buffer, 'enrolments_and_results', '成绩.xlsx');

    expect(row.fields).toMatchObject({ enrolledOn: '2025-03-01', assessedOn: '2025-01-01' });
    expect(row.problems).toEqual([]);
  });

  it.each([false, true])('reads 20250320 typed into a date-formatted cell (Excel shows ########) or a number cell as that day (1904 system: %s)', async (date1904) => {
    const buffer = await xlsxBytes((workbook) => {
      workbook.properties.date1904 = date1904;
      const sheet = workbook.addWorksheet('成绩');
      sheet.addRow(['姓名', '身份证号', '报名日期', '是否合格', '考核日期']);
      const row = sheet.addRow(['张三', ID, 20250320, '合格', 20250321]);
      row.getCell(3).numFmt = 'yyyy-mm-dd';
    });

    const [row] = await read(buffer, 'enrolments_and_results', '成绩.xlsx');

    expect(row.fields).toMatchObject({ enrolledOn: '2025-03-20', assessedOn: '2025-03-21' });
    expect(row.problems).toEqual([]);
  });

  it('reports an identity number stored as a number, and reads a numeric phone in full', async () => {
    const buffer = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('学员');
      sheet.addRow(['姓名', '身份证号码', '手机号码', '行政区划代码']);
      sheet.addRow(['张三', Number(ID), 13800000000, 430200]);
    });

    const [row] = await read(buffer, 'trainees', 'trainees.xlsx');

    expect(row.fields).toEqual({ name: '张三', idNumber: undefined, phone: '13800000000', regionCode: '430200', categories: undefined });
    expect(row.problems).toEqual([expect.objectContaining({ field: 'idNumber', rule: 'excel_number_lost_digits' })]);
    expect(row.problems[0].detail).not.toMatch(/\d/);
  });

  it('reports a certificate number stored as a number (Excel kept 15 of its digits), and reads one stored as text', async () => {
    const buffer = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('证书');
      sheet.addRow(['姓名', '身份证号', '证书编号', '职业代码', '技能等级', '颁证日期']);
      // An old number typed into a General cell: Excel saves 1343000000300120, the digits after the 15th as zeros.
      sheet.addRow(['张三', ID, 1343000000300120, '6-18-02-04', '初级工', '2012-07-01']);
      sheet.addRow(['李四', ID, '1343000000300123', '6-18-02-04', '初级工', '2012-07-01']);
    });

    const [number, text] = await read(buffer, 'certificates', 'certificates.xlsx');

    expect(number.fields.certificateNumber).toBeUndefined();
    expect(number.problems).toEqual([expect.objectContaining({ field: 'certificateNumber', rule: 'excel_number_lost_digits' })]);
    expect(number.problems[0].detail).toContain('format the column as text');
    expect(number.problems[0].detail).not.toContain('1343');
    expect(text).toMatchObject({ fields: { certificateNumber: '1343000000300123' }, problems: [] });
  });

  it('reads a short whole certificate number stored as a number as its digits (Excel kept them all), and refuses one of 16 digits or with a fraction', async () => {
    const buffer = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('证书');
      sheet.addRow(['姓名', '身份证号', '证书编号', '职业代码', '技能等级', '颁证日期']);
      for (const number of [12345, 999999999999999, 1343000000300120, 1e15, 12345.5]) sheet.addRow(['张三', ID, number, '6-18-02-04', '初级工', '2012-07-01']);
    });

    const rows = await read(buffer, 'certificates', 'certificates.xlsx');

    expect(rows.map((row) => [row.fields.certificateNumber, row.problems.map((problem) => `${problem.field}:${problem.rule}`)])).toEqual([
      ['12345', []],
      ['999999999999999', []],
      [undefined, ['certificateNumber:excel_number_lost_digits']],
      [undefined, ['certificateNumber:excel_number_lost_digits']],
      [undefined, ['certificateNumber:excel_number_lost_digits']],
    ]);
  });

  it('reads the first visible tab, and recognises a workbook by its bytes whatever its name', async () => {
    const buffer = await xlsxBytes((workbook) => {
      const lists = workbook.addWorksheet('下拉选项');
      lists.state = 'hidden';
      lists.addRow(['姓名', '身份证号', '手机号']);
      lists.addRow(['不是学员', ID, '13900000000']);
      const sheet = workbook.addWorksheet('学员');
      sheet.addRow(['name', 'idNumber', 'phone']);
      sheet.addRow(['张三', ID, '13800000000']);
    });

    const rows = await read(buffer, 'trainees', '学员名单.csv');

    expect(rows.map((row) => row.fields.name)).toEqual(['张三']);
  });

  it('refuses a workbook without a required column, and leaves no temporary file behind', async () => {
    const buffer = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('证书');
      sheet.addRow(['姓名', '身份证号', '证书编号']);
      sheet.addRow(['张三', ID, 'Y00A143430200255000017']);
      workbook.addWorksheet('第二页').addRow(['x']);
    });
    const tmpdir = mkdtempSync(path.join(os.tmpdir(), 'import-files-'));
    // exceljs copies worksheets that precede the shared strings to temporary files (via the tmp package).
    const tmpdirSpy = jest.spyOn(os, 'tmpdir').mockReturnValue(tmpdir);
    try {
      const error = await refusal(read(buffer, 'certificates', 'certificates.xlsx'));

      expect(error).toMatchObject({ rule: 'missing_columns' });
      expect(error.detail).toContain('职业编码、等级、发证日期');
      // exceljs deletes them without waiting for the deletion: give the last one a moment.
      for (let waited = 0; readdirSync(tmpdir).length > 0 && waited < 2_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(readdirSync(tmpdir)).toEqual([]);
    } finally {
      tmpdirSpy.mockRestore();
      rmSync(tmpdir, { recursive: true, force: true });
    }
  });
});

describe('cells no roster holds', () => {
  it('refuses a row with a control character (a NUL beyond the first 64 KiB too), naming the field, and keeps U+FFFD in its place', async () => {
    const filler = Array.from({ length: 2000 }, (_, n) => `学员${n},${ID},13800000000`);
    const buffer = csvBytes(['姓名,身份证号,手机号,备注', ...filler, `张\u0000三,${ID},13800000000`, `李四,${ID},13800000000,备\u0007注`]);
    const rows = await read(buffer, 'trainees');
    const [nul, bell] = rows.slice(-2);
    expect(nul.problems).toEqual([expect.objectContaining({ field: 'name', rule: 'invalid_characters' })]);
    expect(nul.fields.name).toBe('张\uFFFD三');
    expect(nul.cells.姓名).toBe('张\uFFFD三');
    expect(bell.problems).toEqual([expect.objectContaining({ field: '备注', rule: 'invalid_characters' })]);
    expect(rows.slice(0, -2).flatMap((row) => row.problems)).toEqual([]);
  });

  it('names a column whose header holds a control character with U+FFFD in its place (the name is stored with the row)', async () => {
    const blankLines = Array.from({ length: 70_000 }, () => '');
    const rows = await read(csvBytes([...blankLines, '姓名,身份证号,手机号,备\u0000注', `李四,${ID},13800000000,\u0001`]), 'trainees');
    expect(rows[0].cells).toMatchObject({ '备\uFFFD注': '\uFFFD' });
    expect(rows[0].problems).toEqual([{ field: '备\uFFFD注', rule: 'invalid_characters', detail: expect.stringContaining('control characters') }]);
  });
});

describe('files that cannot be imported', () => {
  it('refuses a row wider than 100 columns', async () => {
    const wide = csvBytes(['姓名,身份证号,手机号', `张三,${ID},13800000000${','.repeat(100)}x`]);
    expect(await refusal(read(wide, 'trainees'))).toMatchObject({ field: 'file', rule: 'too_many_columns' });
  });

  it('refuses a header wider than 100 columns before naming its columns, and numbers a header’s repeated names', async () => {
    // 200,000 columns all named x: numbering the copies one by one took minutes in the request.
    const header = csvBytes([`姓名,身份证号,手机号${',x'.repeat(200_000)}`, `张三,${ID},13800000000`]);
    expect(await refusal(read(header, 'trainees'))).toMatchObject({ field: 'file', rule: 'too_many_columns', detail: expect.stringContaining('row 1') });
    expect(await refusal(read(csvBytes([`姓名,身份证号,手机号${',x'.repeat(98)}`, `张三,${ID},13800000000`]), 'trainees'))).toMatchObject({ rule: 'too_many_columns' });
    const repeated = await read(csvBytes(['姓名,身份证号,手机号,备注,备注,备注', `张三,${ID},13800000000,a,b,c`]), 'trainees');
    expect(repeated[0].cells).toEqual({ 姓名: '张三', 身份证号: ID, 手机号: '13800000000', 备注: 'a', '备注 (2)': 'b', '备注 (3)': 'c' });
  });

  it('refuses a workbook whose parts declare more than an import unpacks, before unpacking it', async () => {
    const buffer = await xlsxBytes((workbook) => workbook.addWorksheet('学员').addRow(['姓名', '身份证号', '手机号']));
    // The ZIP directory's entries (signature PK\x01\x02) say their unpacked size at offset 24: claim 4 GB for each.
    for (let at = buffer.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = buffer.indexOf('PK\x01\x02', at + 4, 'latin1')) buffer.writeUInt32LE(0xfffffff0, at + 24);
    expect(await refusal(read(buffer, 'trainees', 'bomb.xlsx'))).toMatchObject({ field: 'file', rule: 'file_too_large' });
  });

  it('refuses a workbook with a broken part rather than waiting on it for ever', async () => {
    const sheet = await xlsxBytes((workbook) => {
      const rows = workbook.addWorksheet('学员');
      rows.addRow(['姓名', '身份证号', '手机号']);
      for (let n = 0; n < 2_000; n += 1) rows.addRow([`学员${n}`, ID, '13800000000']);
    });
    // 40 bytes well inside the worksheet's deflated data (its local header comes first, its name at offset 30).
    const name = sheet.indexOf('xl/worksheets/sheet1.xml', 0, 'utf8');
    sheet.fill(0xff, name + 100, name + 140);

    expect(await refusal(read(sheet, 'trainees', 'broken.xlsx'))).toMatchObject({ field: 'file', rule: 'unreadable_file' });
  }, 10_000);

  const trainees = csvBytes(['姓名,身份证号,手机号', `张三,${ID},13800000000`, `李四,${ID_X},13800000001`, `王五,${ID},13800000002`]);

  it.each([
    ['an old .xls by name', trainees, 'rows.xls', 'unsupported_file_type'],
    ['an old .xls by its bytes', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'rows.csv', 'unsupported_file_type'],
    ['a PDF', Buffer.from('%PDF-1.7'), 'rows.pdf', 'unsupported_file_type'],
    ['a UTF-16 text', Buffer.from('\ufeff姓名\t身份证号', 'utf16le'), 'rows.txt', 'unsupported_file_type'],
    ['an .xlsx that is no ZIP', trainees, 'rows.xlsx', 'unreadable_file'],
    ['a broken ZIP', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(64, 7)]), 'rows.xlsx', 'unreadable_file'],
    ['an unclosed quote', csvBytes(['姓名,身份证号,手机号', `"张三,${ID},13800000000`]), 'rows.csv', 'unreadable_file'],
    ['an empty file', Buffer.alloc(0), 'rows.csv', 'empty_file'],
    ['blank lines only', csvBytes(['', ' , ', '']), 'rows.csv', 'empty_file'],
    ['a header without rows', csvBytes(['姓名,身份证号,手机号', ',,']), 'rows.csv', 'empty_file'],
  ])('refuses %s', async (_what, buffer, originalname, rule) => {
    const error = await refusal(read(buffer, 'trainees', originalname));

    expect(error).toMatchObject({ field: 'file', rule });
    expect(error.detail).not.toContain('张三');
  });

  it('refuses more rows than allowed', async () => {
    await expect(read(trainees, 'trainees', 'rows.csv', { maxRows: 3 })).resolves.toHaveLength(3);
    const error = await refusal(read(trainees, 'trainees', 'rows.csv', { maxRows: 2 }));
    expect(error).toMatchObject({ rule: 'too_many_rows' });
  });
});

describe('a workbook that inflates past the limits, whatever its sizes and ZIP directory say', () => {
  // 1 GiB in all and 256 MiB of shared strings, lowered here: inflating that much takes seconds.
  beforeEach(() => {
    jest.replaceProperty(UNPACKED_LIMITS, 'allParts', 64 * 1024 * 1024);
    jest.replaceProperty(UNPACKED_LIMITS, 'sharedStrings', 16 * 1024 * 1024);
  });
  afterEach(() => jest.restoreAllMocks());

  it('refuses one whose shared strings inflate past their limit while they say 1 KiB', async () => {
    // One name over and over: exceljs would hold every copy in memory while it reads the sheet.
    const buffer = await understatedWorkbook('xl/sharedStrings.xml', 32 * 1024 * 1024);
    expect(buffer.length).toBeLessThan(256 * 1024);

    expect(await refusal(read(buffer, 'trainees', 'bomb.xlsx'))).toMatchObject({ field: 'file', rule: 'file_too_large' });
  });

  it('refuses one whose parts inflate past the limit in all while they say 1 KiB', async () => {
    const buffer = await understatedWorkbook('xl/media/image1.png', 100 * 1024 * 1024);

    expect(await refusal(read(buffer, 'trainees', 'bomb.xlsx'))).toMatchObject({ field: 'file', rule: 'file_too_large' });
  });

  it('reads one that stays within them', async () => {
    const buffer = await understatedWorkbook('xl/sharedStrings.xml', 8 * 1024 * 1024);

    expect((await read(buffer, 'trainees', 'roster.xlsx')).map((row) => row.fields.name)).toEqual(['张三']);
  });
});

describe('a large CSV', () => {
  // How fast is measured by npm run bench:import, not here: a timed assertion fails on a busy machine.
  it('reads 10,000 GB18030 rows, each with its row number and fields', async () => {
    const lines = ['姓名,身份证号,手机号,人员类别'];
    for (let index = 0; index < 10_000; index += 1) lines.push(`学员${index},${ID},138${String(index).padStart(8, '0')},农民工`);
    const rows = await read(csvBytes(lines, 'gb18030'), 'trainees');

    expect(rows).toHaveLength(10_000);
    expect(rows[9_999]).toMatchObject({ row: 10_001, fields: { name: '学员9999', phone: '13800009999', categories: 'rural_migrant' } });
  });
});

describe('templates', () => {
  it.each(IMPORT_KINDS)('writes a %s template with Chinese headers and an example that reads back without problems', async (kind) => {
    const template = importTemplateCsv(kind);

    expect(template.startsWith(BOM)).toBe(true);
    const [header] = csvRecords(template);
    expect(header).toEqual(IMPORT_COLUMNS[kind].map((column) => column.zh));
    const [row] = await read(Buffer.from(template, 'utf8'), kind, `${kind}.csv`);
    expect(row.problems).toEqual([]);
    expect(row.fields).toMatchObject({ name: '张三', idNumber: ID });
  });

  it('writes the trainee example the way the domain describes it', () => {
    const [, example] = csvRecords(importTemplateCsv('trainees'));

    // The tab keeps Excel from showing the identity number as 4.30202E+17.
    expect(example).toEqual(['张三', `\t${ID}`, '13800000000', '430200', '农村转移就业劳动力']);
    expect(csvRecords(importTemplateCsv('certificates'))[1]).toEqual(['张三', `\t${ID}`, 'Y00A143430200255000017', '6-18-02-04', '初级工', '2025-03-20', '2022']);
  });
});

describe('the .xlsx templates', () => {
  it.each(IMPORT_KINDS)('writes a %s workbook whose first sheet reads back as the CSV template does: Chinese headers, the example without problems', async (kind) => {
    const [row] = await read(await importTemplateXlsx(kind), kind, `${kind}.xlsx`);

    expect(row.problems).toEqual([]);
    expect(row.fields).toMatchObject({ name: '张三', idNumber: ID });
    const [csvRow] = await read(Buffer.from(importTemplateCsv(kind), 'utf8'), kind, `${kind}.csv`);
    expect(row.fields).toEqual(csvRow.fields);
  });

  it('formats every column as text before anyone types, the dates too, so Excel keeps an identity number (or a date as 20250320) typed in', async () => {
    const workbook = new Workbook();
    await workbook.xlsx.load((await importTemplateXlsx('certificates')) as unknown as ArrayBuffer);
    const [sheet] = workbook.worksheets;

    expect(sheet.getRow(1).values).toEqual([undefined, ...IMPORT_COLUMNS.certificates.map((column) => column.zh)]);
    expect(IMPORT_COLUMNS.certificates.map((column, index) => sheet.getColumn(index + 1).numFmt)).toEqual(IMPORT_COLUMNS.certificates.map(() => '@'));
    // A row typed below the example takes the column's format: the identity number stays a string.
    expect(sheet.getCell('B500').numFmt).toBe('@');
    expect([sheet.getCell('B2').value, sheet.getCell('F2').value]).toEqual([ID, '2025-03-20']);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});

describe('the errors CSV', () => {
  it('lists row number, every header in first-seen order and the reason, quoted where needed', () => {
    const csv = importErrorsCsv('trainees', [
      { row: 3, cells: { 姓名: '张三', 身份证号: ID, 备注: '株洲市, "芦淞区"\n二楼' }, field: 'idNumber', rule: 'identity_number_taken', detail: '' },
      // A corrected errors CSV uploaded again: its old row number and reason are stale.
      { row: 7, cells: { 行号: '12', 姓名: '=HYPERLINK("http://x")', 手机号: '+8613800000000', 原因: '上次的原因' }, field: 'phone', rule: 'invalid_phone', detail: '' },
    ]);

    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv).toContain('"株洲市, ""芦淞区""\n二楼"');
    expect(csvRecords(csv)).toEqual([
      ['行号', '姓名', '身份证号', '备注', '手机号', '原因'],
      ['3', '张三', `\t${ID}`, '株洲市, "芦淞区"\n二楼', '', '身份证号 (idNumber): identity_number_taken'],
      ['7', `'=HYPERLINK("http://x")`, '', '', '+8613800000000', '手机号 (phone): invalid_phone'],
    ]);
  });

  it('names the refused field by the header the file gave it, else the template’s, with the rule code and its specifics', () => {
    const csv = importErrorsCsv('trainees', [
      { row: 2, cells: { name: '张三', 'ID number': ID, 联系电话: '1380000' }, field: 'phone', rule: 'invalid_phone', detail: 'phone must be an 11-digit mobile number' },
      // No cells left (a person's erasure): the template's header.
      { row: 3, cells: {}, field: 'idNumber', rule: 'personal_data_erased', detail: '' },
      // A rule about the whole row names no column.
      { row: 4, cells: { name: '张三' }, field: '', rule: 'example_row', detail: 'the template’s example row' },
    ]);
    expect(csvRecords(csv).map((record) => record[record.length - 1])).toEqual(['原因', '联系电话 (phone): invalid_phone (phone must be an 11-digit mobile number)', '身份证号 (idNumber): personal_data_erased', 'example_row (the template’s example row)']);
  });

  it('keeps a roster’s own column named 原因 (a note), which is no earlier errors CSV’s, round after round', async () => {
    const csv = importErrorsCsv('trainees', [{ row: 4, cells: { 姓名: '李四', 身份证号: ID, 原因: '转学', 手机号: '1380000' }, field: 'phone', rule: 'invalid_phone', detail: '' }]);
    expect(csvRecords(csv)).toEqual([
      ['行号', '姓名', '身份证号', '原因', '手机号', '原因'],
      ['4', '李四', `\t${ID}`, '转学', '1380000', '手机号 (phone): invalid_phone'],
    ]);
    // Uploaded again as it is: its row number and its reason (read back as 原因 (2)) are stale, the note is not.
    const [again] = await read(Buffer.from(csv, 'utf8'), 'trainees');
    expect(csvRecords(importErrorsCsv('trainees', [{ row: 2, cells: again.cells, field: 'phone', rule: 'invalid_phone', detail: '' }]))).toEqual([
      ['行号', '姓名', '身份证号', '原因', '手机号', '原因'],
      ['2', '李四', `\t${ID}`, '转学', '1380000', '手机号 (phone): invalid_phone'],
    ]);
  });

  it('shows the dates an .xlsx held as serials as read (1904 system, a time of day), so the corrected file reads them back the same', async () => {
    for (const { date1904, serial } of [
      { date1904: true, serial: 44196 },
      { date1904: false, serial: 45658.75 },
    ]) {
      const buffer = await xlsxBytes((workbook) => {
        workbook.properties.date1904 = date1904;
        const sheet = workbook.addWorksheet('成绩');
        sheet.addRow(['姓名', '身份证号', '报名日期', '是否合格', '考核日期']);
        sheet.addRow(['张三', ID, serial, '也许', serial]);
      });
      const [row] = await read(buffer, 'enrolments_and_results', '成绩.xlsx');
      expect(row.fields).toMatchObject({ enrolledOn: '2025-01-01', assessedOn: '2025-01-01' });

      const csv = importErrorsCsv('enrolments_and_results', [{ row: row.row, cells: row.cells, field: 'passed', rule: 'invalid_boolean', detail: '' }]).replace('也许', '合格');
      const [again] = await read(Buffer.from(csv, 'utf8'), 'enrolments_and_results');
      expect(again.fields).toMatchObject({ enrolledOn: '2025-01-01', assessedOn: '2025-01-01', passed: 'true' });
      expect(again.problems).toEqual([]);
    }
  });

  it('reads back as an import file once the refused rows are corrected', async () => {
    const csv = importErrorsCsv('trainees', [{ row: 3, cells: { 姓名: '张三', 身份证号: ID, 手机号: '13800000000' }, field: 'phone', rule: 'taken', detail: '' }]);

    const [row] = await read(Buffer.from(csv, 'utf8'), 'trainees');

    expect(row.fields).toEqual({ name: '张三', idNumber: ID, phone: '13800000000', regionCode: undefined, categories: undefined });
  });
});
