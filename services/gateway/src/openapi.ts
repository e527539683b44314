export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; [section: string]: Record<string, unknown> | undefined };
  tags?: Array<{ name: string }>;
}

/** Every service's paths and schemas in one document; paths never collide (each resource has one owner). */
export function mergeOpenApi(title: string, documents: OpenApiDocument[]): OpenApiDocument {
  const merged: OpenApiDocument = { openapi: documents[0]?.openapi ?? '3.0.0', info: { title, version: '1' }, paths: {}, components: { schemas: {} } };
  for (const document of documents) {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      // Health, metrics and admin are per service; the gateway has its own health.
      if (path.startsWith('/api/v1/')) merged.paths[path] = item;
    }
    for (const [section, entries] of Object.entries(document.components ?? {})) {
      merged.components![section] = { ...(merged.components![section] ?? {}), ...(entries ?? {}) };
    }
  }
  return merged;
}
