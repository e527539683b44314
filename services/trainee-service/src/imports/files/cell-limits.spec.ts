import { Workbook } from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { columnLetters, MAX_CELL_CHARACTERS, MAX_FILE_CHARACTERS } from './cell-limits';
import { type FileRow, ImportFileRefused, MAX_COLUMNS, readImportFile } from './index';

const ID = '430202199001011233';
const TRAINEE_HEADERS = ['姓名', '身份证号', '手机号', '地区代码', '人员类别'];

const read = (buffer: Buffer, originalname: string): Promise<FileRow[]> => readImportFile({ buffer, originalname }, 'trainees');
const csvBytes = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');

async function refusal(reading: Promise<unknown>): Promise<ImportFileRefused> {
  const error = await reading.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportFileRefused);
  return error as ImportFileRefused;
}

/**
 * The trainees header, then `rows` rows whose first `columns` cells all refer to one shared string: the
 * string is stored once, however many cells show it, so the file stays small while its cells add up.
 */
async function sharedStringWorkbook(shared: string, rows: number, columns = 1): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.addWorksheet('学员').addRow(TRAINEE_HEADERS);
  const parts = unzipSync(Buffer.from(await workbook.xlsx.writeBuffer()));
  const strings = [shared, ...TRAINEE_HEADERS].map((text) => `<si><t>${text}</t></si>`).join('');
  parts['xl/sharedStrings.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="${TRAINEE_HEADERS.length + 1}">${strings}</sst>`,
  );
  const header = TRAINEE_HEADERS.map((_, column) => `<c r="${columnLetters(column)}1" t="s"><v>${column + 1}</v></c>`).join('');
  const body: string[] = [];
  for (let row = 2; row <= rows + 1; row += 1) {
    const cells = Array.from({ length: columns }, (_, column) => `<c r="${columnLetters(column)}${row}" t="s"><v>0</v></c>`).join('');
    body.push(`<row r="${row}">${cells}</row>`);
  }
  parts['xl/worksheets/sheet1.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${header}</row>${body.join('')}</sheetData></worksheet>`,
  );
  return Buffer.from(zipSync(parts, { level: 6 }));
}

describe('a cell longer than any roster field', () => {
  it('refuses a workbook that shows one huge shared string in cell after cell, at its first cell', async () => {
    // 4 MiB shown in 1,000 cells: unbounded, every cell's text went through the normalising regexes (about
    // 8 ms a row a MiB, half a minute here; the audit's 50 MiB in 200,000 rows stalled the service).
    const buffer = await sharedStringWorkbook('张'.repeat(4 * 1024 * 1024), 1_000);
    expect(buffer.length).toBeLessThan(1024 * 1024);

    const error = await refusal(read(buffer, 'roster.xlsx'));

    expect(error).toMatchObject({ field: 'file', rule: 'cell_too_long', detail: expect.stringContaining('row 2, column A') });
    expect(error.detail).not.toContain('张张');
  });

  it('refuses a CSV cell one character over the limit, naming its row and column', async () => {
    const buffer = csvBytes([TRAINEE_HEADERS.join(','), `张三,${ID},13800000000`, `张三,${ID},13800000000,430200,${'农'.repeat(MAX_CELL_CHARACTERS + 1)}`]);

    expect(await refusal(read(buffer, 'roster.csv'))).toMatchObject({ field: 'file', rule: 'cell_too_long', detail: expect.stringContaining('row 3, column E') });
  });

  it('refuses a CSV with a huge cell without parsing all of it', async () => {
    const buffer = csvBytes([TRAINEE_HEADERS.join(','), `${'张'.repeat(5_000_000)},${ID},13800000000`]);

    const error = await refusal(read(buffer, 'roster.csv'));

    expect(error).toMatchObject({ field: 'file', rule: 'cell_too_long', detail: expect.stringContaining('row 2, column A') });
  });

  it('refuses a CSV row of short cells far wider than a roster as too many columns, not as a long cell', async () => {
    const buffer = csvBytes([TRAINEE_HEADERS.join(','), `张三,${ID},13800000000${`,${'备'.repeat(1_500)}`.repeat(500)}`]);

    expect(await refusal(read(buffer, 'roster.csv'))).toMatchObject({ rule: 'too_many_columns', detail: expect.stringContaining('row 2') });
  });

  it('reads cells at the limit, a row of them as wide as a roster may be, in a CSV and in a workbook', async () => {
    const full = '农'.repeat(MAX_CELL_CHARACTERS);
    const csv = csvBytes([[...TRAINEE_HEADERS, ...Array.from({ length: MAX_COLUMNS - TRAINEE_HEADERS.length }, (_, n) => `备注${n}`)].join(','), `张三,${ID},13800000000,430200,${Array(MAX_COLUMNS - 4).fill(full).join(',')}`]);

    const [csvRow] = await read(csv, 'roster.csv');
    expect(csvRow.cells['备注94']).toBe(full);
    expect(csvRow.problems).toContainEqual(expect.objectContaining({ field: 'categories', rule: 'unknown_category' }));

    const [workbookRow] = await read(await sharedStringWorkbook(full, 1), 'roster.xlsx');
    expect(workbookRow.cells['姓名']).toBe(full);
  });
});

describe('a CSV parsed a piece at a time', () => {
  it('keeps a character outside the BMP whole where a piece ends in the middle of it', async () => {
    // The parser takes 64 Ki characters at a time: 𠮷 (two UTF-16 units) is put across the first boundary.
    const lines = ['姓名,身份证号,手机号,备注'];
    while (lines.join('\r\n').length < 64 * 1024 - 1_000) lines.push(`张三,${ID},13800000000,第${lines.length}行`);
    const row = `\r\n张三,${ID},13800000000,`;
    const note = `${'备'.repeat(64 * 1024 - 1 - lines.join('\r\n').length - row.length)}𠮷`;
    const text = `${lines.join('\r\n')}${row}${note}`;
    expect(text.charCodeAt(64 * 1024 - 1)).toBe('𠮷'.charCodeAt(0));

    const rows = await read(Buffer.from(text, 'utf8'), 'roster.csv');

    expect(rows[rows.length - 1].cells['备注']).toBe(note);
  });
});

describe('a file whose cells hold more text in all than any roster', () => {
  it('refuses a workbook whose cells at the limit add up past it, every reference to a shared string counted', async () => {
    // 5 cells of 2,000 characters a row: past the limit after about 6,700 rows, a file of a few dozen KB.
    const rows = Math.ceil(MAX_FILE_CHARACTERS / (5 * MAX_CELL_CHARACTERS)) + 100;
    const buffer = await sharedStringWorkbook('农'.repeat(MAX_CELL_CHARACTERS), rows, 5);
    expect(buffer.length).toBeLessThan(1024 * 1024);

    expect(await refusal(read(buffer, 'roster.xlsx'))).toMatchObject({ field: 'file', rule: 'file_too_large' });
  });
});

describe('columnLetters', () => {
  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [99, 'CV'],
    [16_383, 'XFD'],
  ])('names column %i %s', (column, letters) => {
    expect(columnLetters(column)).toBe(letters);
  });
});
