import { PATH_OWNERS, RESOURCE_OWNERS, ServiceName } from '@skills/contracts';
import { HTTP_SETTINGS_DEFAULTS, HttpSettings, httpHygiene, serveConsole } from '@skills/service-runtime';
import express, { Express, Request, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { mergeOpenApi, OpenApiDocument } from './openapi';

export type ServiceUrls = Record<ServiceName, string>;

const problem = (response: Response, status: number, title: string, detail: string) =>
  response.status(status).type('application/problem+json').json({ type: `urn:skills:${title.toLowerCase().replace(/ /g, '-')}`, title, status, detail });

/**
 * One origin for the distributed deployments: /api/v1/<resource>/… goes to the service that owns the
 * resource, and each prefix of PATH_OWNERS (/oauth/, /.well-known/, /admin/identity/) to its service
 * (bodies, headers and answers pass through untouched, Authorization and Idempotency-Key
 * included), and /api/docs shows one OpenAPI document made of every service's.
 *
 * The same security headers, CORS and OPTIONS answers as every service (http-hygiene.ts). The limit per
 * client address is counted here on purpose, for the whole origin (the services behind count only
 * their own share of a client's requests, from X-Forwarded-For, so theirs never trips first); the
 * limit per user is the services' alone, as only they verify tokens. With `consoleDir`, the web console
 * is served at `/` too.
 */
export function createGateway(services: ServiceUrls, settings: HttpSettings = HTTP_SETTINGS_DEFAULTS, consoleDir?: string): Express {
  const app = express();
  // As in the services: behind an ingress on the cluster network, the client's address is from X-Forwarded-For (TRUST_PROXY).
  app.use(httpHygiene(app, settings));

  const proxies = new Map(
    Object.entries(services).map(([name, url]) => [
      name,
      createProxyMiddleware<Request, Response>({
        target: url,
        changeOrigin: true,
        // The client's address travels in X-Forwarded-For: identity's sign-in limits count per client, not per gateway.
        xfwd: true,
        proxyTimeout: 30_000,
        on: {
          proxyReq: (proxyRequest, request) => {
            // One correlation id from the edge through every service and message.
            if (!request.headers['x-correlation-id']) proxyRequest.setHeader('x-correlation-id', randomUUID());
            // The client's address as the gateway judged it, alone: were the client's own X-Forwarded-For passed
            // on, a service believing the gateway's network would take a client on that network at its word.
            const client = request.ip ?? request.socket.remoteAddress;
            if (client) proxyRequest.setHeader('x-forwarded-for', client);
            else proxyRequest.removeHeader('x-forwarded-for');
          },
          error: (_error, _request, response) => {
            if ('status' in response && !response.headersSent) problem(response as Response, 502, 'Bad gateway', `${name} did not answer`);
          },
        },
      }),
    ]),
  );

  app.get('/health/live', (_request, response) => response.json({ status: 'ok' }));
  // The gateway is ready once it listens: it needs nothing but itself to route. A service that is not
  // ready makes it `degraded`, naming it, still 200: were the gateway unready whenever one service is,
  // one service (or the broker, or its database) down would take every gateway replica out of the load
  // balancer, and with them the console, /verify and every other service's API.
  app.get('/health/ready', async (_request, response) => {
    const checks = await Promise.all(
      Object.entries(services).map(async ([name, url]) => {
        const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) }).then((answer) => answer.ok, () => false);
        return [name, ready ? 'up' : 'down'] as const;
      }),
    );
    const degraded = checks.filter(([, state]) => state === 'down').map(([name]) => name);
    response.json({ status: degraded.length === 0 ? 'ok' : 'degraded', ...(degraded.length > 0 ? { degraded } : {}), services: Object.fromEntries(checks) });
  });

  app.get('/api/docs-json', async (_request, response) => {
    try {
      const documents = await Promise.all(
        Object.values(services).map(async (url) => (await (await fetch(`${url}/api/docs-json`, { signal: AbortSignal.timeout(5000) })).json()) as OpenApiDocument),
      );
      response.json(mergeOpenApi('skills ladder platform', documents));
    } catch (error) {
      problem(response, 502, 'Bad gateway', `a service did not give its OpenAPI document: ${(error as Error).message}`);
    }
  });
  // Swagger UI's own files, told to read the merged document.
  app.get('/api/docs/swagger-initializer.js', (_request, response) =>
    response.type('application/javascript').send(`window.onload = () => { window.ui = SwaggerUIBundle({ url: '/api/docs-json', dom_id: '#swagger-ui' }); };`),
  );
  app.get('/api/docs', (request, response, next) => (request.path.endsWith('/') ? next() : response.redirect(301, '/api/docs/')));
  app.use('/api/docs', express.static(dirname(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'))));

  app.use('/api/v1/:resource', (request, response, next) => {
    const resource = request.params.resource;
    const owner = Object.hasOwn(RESOURCE_OWNERS, resource) ? RESOURCE_OWNERS[resource as keyof typeof RESOURCE_OWNERS] : undefined;
    if (!owner) return problem(response, 404, 'Not found', `no resource /api/v1/${resource}`);
    // Mounted on a path, express strips it: give the service the whole path back.
    request.url = request.originalUrl;
    return proxies.get(owner)!(request, response, next);
  });
  for (const [prefix, owner] of Object.entries(PATH_OWNERS)) {
    const proxy = proxies.get(owner);
    if (!proxy) throw new Error(`no URL for ${owner}, which owns ${prefix}`);
    app.use(prefix.replace(/\/$/, ''), (request, response, next) => {
      request.url = request.originalUrl;
      return proxy(request, response, next);
    });
  }
  // The web console's pages and files, as the all-in-one host serves them (API paths never reach it).
  if (consoleDir) serveConsole(app, consoleDir);
  app.use((_request, response) => problem(response, 404, 'Not found', 'no such path'));
  return app;
}
