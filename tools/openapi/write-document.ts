import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { platformOpenApiDocument } from '@skills/platform';

/**
 * Writes the all-in-one platform's OpenAPI document to the file given, without a database. The console's
 * typed client is generated from it (services/console/project.json), so an API change that breaks a screen
 * fails the console's build.
 */
async function main(outputFile: string) {
  const document = await platformOpenApiDocument();
  mkdirSync(dirname(outputFile), { recursive: true });
  writeFileSync(outputFile, `${JSON.stringify(document, null, 2)}\n`);
}

main(process.argv[2]).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
