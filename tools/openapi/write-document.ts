import { NestFactory } from '@nestjs/core';
import { hostModule, loadRuntimeConfig, openApiDocument } from '@skills/service-runtime';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PLATFORM_MODULES } from '@skills/platform';

/**
 * Writes the all-in-one platform's OpenAPI document to the file given, without a database: Nest's preview
 * mode reads the controllers' metadata and builds no provider. The console's typed client is generated
 * from it (services/console/project.json), so an API change that breaks a screen fails the console's build.
 */
async function main(outputFile: string) {
  const config = loadRuntimeConfig({}, { transport: 'in-process', databaseUrl: 'postgres://unused/preview', port: 0 });
  const app = await NestFactory.create(hostModule({ config, clientId: 'platform', modules: PLATFORM_MODULES }), { preview: true, logger: false, abortOnError: false });
  mkdirSync(dirname(outputFile), { recursive: true });
  writeFileSync(outputFile, `${JSON.stringify(openApiDocument(app, 'skills ladder platform'), null, 2)}\n`);
  await app.close();
}

main(process.argv[2]).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
