// A workbook's bytes as the stream exceljs's streaming reader unzips, with unzipper's early 'end' held
// back until every entry it read has been handed on.
import { PassThrough, type Readable } from 'node:stream';

/**
 * unzipper's `Parse` (under exceljs's WorkbookReader) emits 'end' itself as soon as its input is
 * written, while entries it has already read may still wait on its readable side, and exceljs stops at
 * that 'end'. A reader slower than the unzipping (a loaded machine, worksheets copied to temporary
 * files) then never sees the last entries, such as `xl/workbook.xml`, and a good workbook fails as
 * unreadable. Piped into that `Parse`, these bytes let its 'end' through only once nothing waits.
 */
export class WorkbookBytes extends PassThrough {
  constructor(bytes: Buffer) {
    super();
    this.end(bytes);
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    endOnlyWhenDrained(destination as unknown as Readable);
    return super.pipe(destination, options);
  }
}

function endOnlyWhenDrained(unzipped: Readable): void {
  const emit = unzipped.emit.bind(unzipped);
  let endHeldBack = false;
  unzipped.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'end' && unzipped.readableLength > 0) {
      endHeldBack = true;
      return false;
    }
    const listened = emit(event, ...args);
    // Node takes an entry off the buffer before emitting it: after the last one, the 'end' may go.
    if (event === 'data' && endHeldBack && unzipped.readableLength === 0) {
      endHeldBack = false;
      emit('end');
    }
    return listened;
  };
}
