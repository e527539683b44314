// The import page refuses a file over the server's limit before sending it (docs/console.md "Errors at the
// field, before submit"); its limit is the console's own copy (the browser cannot import the service), kept
// equal to the service's here. Both are read from their source, as the catalogue specs read the services.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './service-source';

/** The value of `export const <name> = 64 * 1024 * 1024;` in `file`: a product of whole numbers, as both write it. */
function bytesIn(file: string, name: string): number {
  const found = readFileSync(path.join(repoRoot, file), 'utf8').match(new RegExp(`export const ${name} = ([\\d\\s*_]+);`));
  if (!found) throw new Error(`${file} has no \`export const ${name} = <number> * <number>;\`: teach this spec to read it`);
  return found[1].split('*').reduce((product, factor) => product * Number(factor.trim().replace(/_/g, '')), 1);
}

describe("the import page's file size limit", () => {
  it("is the trainee service's", () => {
    const server = bytesIn('services/trainee-service/src/imports/http/create-import.ts', 'MAX_FILE_BYTES');
    expect(server).toBeGreaterThan(1024 * 1024);
    expect(bytesIn('services/console/src/screens/imports/import-kinds.ts', 'MAX_UPLOAD_BYTES')).toBe(server);
  });
});
