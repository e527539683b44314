// Refusing an .xlsx workbook that unpacks to more than an import reads (a ZIP bomb, or a workbook with a
// huge hidden sheet), before exceljs reads any of it.
import { createRequire } from 'node:module';
import type { Duplex, Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import { ImportFileRefused } from './import-file-refused';

/** What a workbook may unpack to (a test lowers them rather than inflate a gigabyte). */
export const UNPACKED_LIMITS = {
  /** All its parts: a 200,000-row roster is a few hundred MB of XML at most. */
  allParts: 1024 * 1024 * 1024,
  /** The shared strings, held in memory while the sheet is read. */
  sharedStrings: 256 * 1024 * 1024,
};

const SHARED_STRINGS = /sharedStrings\.xml$/i;

interface ZipEntry extends Readable {
  path: string;
}

// The very unzipper exceljs's streaming reader unzips with (exceljs 4.4 reads through unzipper's Parse):
// the same bytes parsed the same way, so the parts counted here are the parts exceljs will read.
const { Parse: unzipperParse } = createRequire(require.resolve('exceljs'))('unzipper') as { Parse: (options: { forceStream: true }) => Duplex };

const beyondLimits = (allParts: number, sharedStrings: number) => allParts > UNPACKED_LIMITS.allParts || sharedStrings > UNPACKED_LIMITS.sharedStrings;
const tooLarge = () =>
  new ImportFileRefused('file_too_large', 'the .xlsx workbook unpacks to more than an import can read; keep only the roster in it, or save it as CSV');
const unreadable = () => new ImportFileRefused('unreadable_file', 'the .xlsx workbook cannot be read; open it in Excel or WPS and save it again');

/**
 * First by the sizes the ZIP directory declares, which costs nothing; then by the bytes the parts
 * actually inflate to. The directory may understate them: unzipper reads each part from its local header
 * and inflates it to the end of its data, whatever the directory says.
 */
export async function refuseZipBomb(bytes: Buffer): Promise<void> {
  refuseDeclaredSizes(bytes);
  await refuseInflatedSizes(bytes);
}

function refuseDeclaredSizes(bytes: Buffer): void {
  let unpacked = 0;
  let sharedStrings = 0;
  try {
    unzipSync(bytes, {
      filter: (entry) => {
        unpacked += entry.originalSize;
        if (SHARED_STRINGS.test(entry.name)) sharedStrings += entry.originalSize;
        return false; // sizes only: nothing is unpacked here
      },
    });
  } catch {
    throw unreadable();
  }
  if (beyondLimits(unpacked, sharedStrings)) throw tooLarge();
}

/**
 * Inflates every part as exceljs will, counting and dropping the bytes (memory stays at a chunk), and
 * stops at the first byte past a limit. Cheap beside parsing the XML: about 0.2 s of the 7 s a
 * 200,000-row workbook takes to read.
 */
function refuseInflatedSizes(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = unzipperParse({ forceStream: true });
    let unpacked = 0;
    let sharedStrings = 0;
    let openEntries = 0;
    let zipEnded = false;
    const stop = (refusal: ImportFileRefused, entry?: ZipEntry) => {
      reject(refusal);
      entry?.destroy();
      zip.destroy();
    };
    const resolveWhenRead = () => {
      if (zipEnded && openEntries === 0) resolve();
    };
    // A bad signature, a part cut short, a broken deflate stream: said on the parser, even after it is destroyed.
    zip.on('error', () => stop(unreadable()));
    zip.on('data', (entry: ZipEntry) => {
      openEntries += 1;
      const shared = SHARED_STRINGS.test(entry.path);
      entry.on('data', (chunk: Buffer) => {
        unpacked += chunk.length;
        if (shared) sharedStrings += chunk.length;
        if (beyondLimits(unpacked, sharedStrings)) stop(tooLarge(), entry);
      });
      entry.on('end', () => {
        openEntries -= 1;
        resolveWhenRead();
      });
    });
    // unzipper may say 'end' before its last part is inflated: the parts' own ends are waited for too.
    zip.on('end', () => {
      zipEnded = true;
      resolveWhenRead();
    });
    zip.end(bytes);
  });
}
