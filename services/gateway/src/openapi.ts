import { PATH_OWNERS } from '@skills/contracts';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; [section: string]: Record<string, unknown> | undefined };
  tags?: Array<{ name: string }>;
}

/** The paths the gateway routes: /api/v1/… and the prefixes of PATH_OWNERS (the token issuer's). */
const ROUTED = ['/api/v1/', ...Object.keys(PATH_OWNERS)];

/** Every service's paths and schemas in one document; paths never collide (each resource and prefix has one owner). */
export function mergeOpenApi(title: string, documents: OpenApiDocument[]): OpenApiDocument {
  const merged: OpenApiDocument = { openapi: documents[0]?.openapi ?? '3.0.0', info: { title, version: '1' }, paths: {}, components: { schemas: {} } };
  for (const document of documents) {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      // Health, metrics and admin are per service (but for /admin/identity/); the gateway has its own health.
      if (ROUTED.some((prefix) => path.startsWith(prefix))) merged.paths[path] = item;
    }
    for (const [section, entries] of Object.entries(document.components ?? {})) {
      merged.components![section] = { ...(merged.components![section] ?? {}), ...(entries ?? {}) };
    }
  }
  return merged;
}
