// The import page refuses a file over the server's limit before sending it (docs/console.md "Errors at the
// field, before submit"), and says beside the file field, and in the refusals' words, how many rows and
// columns a file may have; these limits are the console's own copies (the browser cannot import the
// service), kept equal to the service's here. Both are read from their source, as the catalogue specs read
// the services.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './service-source';

const SERVER_FILE = 'services/trainee-service/src/imports/http/create-import.ts';
const SERVER_READER = 'services/trainee-service/src/imports/files/read-import-file.ts';
const CONSOLE = 'services/console/src/screens/imports/import-kinds.ts';

/** The value of `export const <name> = 64 * 1024 * 1024;` (or `= 200_000;`) in `file`: a product of whole numbers, as both write it. */
function constantIn(file: string, name: string): number {
  const found = readFileSync(path.join(repoRoot, file), 'utf8').match(new RegExp(`export const ${name} = ([\\d\\s*_]+);`));
  if (!found) throw new Error(`${file} has no \`export const ${name} = <number> * <number>;\`: teach this spec to read it`);
  return found[1].split('*').reduce((product, factor) => product * Number(factor.trim().replace(/_/g, '')), 1);
}

describe("the import page's limits", () => {
  it("on a file's size are the trainee service's", () => {
    const server = constantIn(SERVER_FILE, 'MAX_FILE_BYTES');
    expect(server).toBeGreaterThan(1024 * 1024);
    expect(constantIn(CONSOLE, 'MAX_UPLOAD_BYTES')).toBe(server);
  });

  it("on a file's rows and columns are the trainee service's", () => {
    const rows = constantIn(SERVER_READER, 'DEFAULT_MAX_ROWS');
    const columns = constantIn(SERVER_READER, 'MAX_COLUMNS');
    expect(rows).toBeGreaterThan(1000);
    expect(columns).toBeGreaterThan(10);
    expect({ rows: constantIn(CONSOLE, 'MAX_IMPORT_ROWS'), columns: constantIn(CONSOLE, 'MAX_IMPORT_COLUMNS') }).toEqual({ rows, columns });
  });
});
