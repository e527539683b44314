// A CSV the parser cannot read to its end names the row where it stopped: the row of the quote never closed,
// counted as Excel shows them (the header is row 1, an empty line a row, a quoted cell over two lines one).
import { csvRows } from './csv-rows';
import { ImportFileRefused } from './import-file-refused';
import type { SheetRow } from './sheet-row';

async function refusalOf(text: string): Promise<{ rowsRead: number; error: unknown }> {
  let rowsRead = 0;
  try {
    for await (const _row of csvRows(text, 30) as AsyncGenerator<SheetRow>) rowsRead += 1;
  } catch (error) {
    return { rowsRead, error };
  }
  return { rowsRead, error: undefined };
}

describe('a CSV with a quote never closed', () => {
  it.each([
    ['on the second row', '姓名,身份证号\r\n"张三,430202199001011233\r\n李四,430202199001011234\r\n', 2],
    ['on the fourth row, after an empty line', '姓名,身份证号\r\n张三,1\r\n\r\n"李四,2\r\n王五,3\r\n', 4],
    ['after a quoted cell over two lines', '姓名,备注\r\n张三,"第一行\r\n第二行"\r\n李四,"未闭合\r\n', 3],
    ['in the header', '"姓名,身份证号\r\n张三,1\r\n', 1],
  ])('is refused unreadable_file naming the row of the quote: %s', async (_case, text, row) => {
    const { error } = await refusalOf(text);
    expect(error).toBeInstanceOf(ImportFileRefused);
    expect(error).toMatchObject({ rule: 'unreadable_file' });
    const message = (error as Error).message;
    expect(message).toContain(`row ${row} `);
    expect(message).toContain('CSV_QUOTE_NOT_CLOSED');
    // The parser's own words quote the text: none of it is in the message.
    expect(message).not.toMatch(/张三|李四|4302/);
  });
});
