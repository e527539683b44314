import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { PLATFORM_MODULES } from './platform-modules';
import { hostModule, loadRuntimeConfig, openApiDocument } from '@skills/service-runtime';

/**
 * The all-in-one platform's OpenAPI document, without a database: Nest's preview mode reads the
 * controllers' metadata and builds no provider.
 */
export async function platformOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadRuntimeConfig({}, { transport: 'in-process', databaseUrl: 'postgres://unused/preview', port: 0 });
  const app = await NestFactory.create(hostModule({ config, clientId: 'platform', modules: PLATFORM_MODULES }), { preview: true, logger: false, abortOnError: false });
  try {
    return openApiDocument(app, 'skills ladder platform');
  } finally {
    await app.close();
  }
}
