import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { Workbook } from 'exceljs';
import { unzipSync } from 'fflate';
import { WorkbookBytes } from './workbook-bytes';

// The very unzipper and entry loop exceljs's streaming reader uses.
const fromExceljs = createRequire(require.resolve('exceljs'));
const { Parse } = fromExceljs('unzipper') as { Parse: (options: { forceStream: boolean }) => NodeJS.WritableStream & Readable };
const iterateStream = fromExceljs('./lib/utils/iterate-stream') as (stream: Readable) => AsyncIterable<{ path: string; autodrain(): void }>;

async function workbook(): Promise<Buffer> {
  const book = new Workbook();
  book.addWorksheet('学员').addRow(['姓名', '身份证号']);
  book.addWorksheet('第二页').addRow(['x']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Every entry's path, in the order the ZIP directory lists them. */
function entryPaths(bytes: Buffer): string[] {
  const paths: string[] = [];
  unzipSync(bytes, { filter: (entry) => (paths.push(entry.name), false) });
  return paths;
}

/** The entries exceljs would see when each one takes it a while (a loaded machine, a temporary file). */
async function entriesReadSlowly(input: Readable): Promise<string[]> {
  const unzipped = Parse({ forceStream: true });
  input.pipe(unzipped);
  const seen: string[] = [];
  for await (const entry of iterateStream(unzipped)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    seen.push(entry.path);
    entry.autodrain();
  }
  return seen;
}

describe('a workbook unzipped for exceljs', () => {
  it('reaches a slow reader whole, its last entry (xl/workbook.xml) included', async () => {
    const bytes = await workbook();

    const seen = await entriesReadSlowly(new WorkbookBytes(bytes));

    expect(seen).toEqual(entryPaths(bytes));
    expect(seen.at(-1)).toBe('xl/workbook.xml');
  });

  it('still ends a workbook cut short, with an error rather than a wait', async () => {
    const bytes = await workbook();

    await expect(entriesReadSlowly(new WorkbookBytes(bytes.subarray(0, Math.floor(bytes.length / 2))))).rejects.toThrow('FILE_ENDED');
  });
});
