/** What a log line says of the request it was written during: its method and path, never its headers (a bearer token, an API key's secret), its query (a search by name) or its body (personal data). */
export const requestForLog = (request: { method?: string; url?: string }) => ({ method: request.method, path: request.url?.split('?')[0] });
