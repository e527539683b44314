// Verifies a credential offline: its proof, its issuer, its status and its dates, with only the files
// given (the issuer's DID document, the status list the credential names); nothing is fetched.
//
//   npm run verify-credential -- credential.json --did did.json --status-list status-list.json
//
// Prints each check with pass or fail; exits 0 when every check passes, 1 when one fails, 2 on bad input.
import { credentialSigner, JsonDocument } from '@skills/certification-service';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = 'usage: npm run verify-credential -- CREDENTIAL.json --did DID_DOCUMENT.json [--did …] --status-list STATUS_LIST.json [--status-list …]';

function readJson(path: string, what: string): JsonDocument {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JsonDocument;
  } catch (error) {
    throw new Error(`${what} ${path}: ${(error as Error).message}`);
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { did: { type: 'string', multiple: true }, 'status-list': { type: 'string', multiple: true } } });
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const credential = readJson(positionals[0], 'credential');
  const didDocuments = (values.did ?? []).map((path) => readJson(path, 'DID document'));
  const statusLists = (values['status-list'] ?? []).map((path) => readJson(path, 'status list'));
  const result = await credentialSigner.verify(credential, { didDocuments, statusLists });
  for (const check of result.checks) console.log(`${check.passed ? 'pass' : 'FAIL'}  ${check.check.padEnd(9)} ${check.detail}`);
  console.log(result.verified ? 'verified' : 'NOT verified');
  await credentialSigner.close();
  return result.verified ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
