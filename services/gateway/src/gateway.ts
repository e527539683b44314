import { PATH_OWNERS, RESOURCE_OWNERS, ServiceName } from '@skills/contracts';
import { failureForLog, HTTP_SETTINGS_DEFAULTS, HttpSettings, httpHygiene, KEY_WAIT_MS, ProblemDetailsFilter, serveConsole } from '@skills/service-runtime';
import express, { Express, NextFunction, Request, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { mergeOpenApi, OpenApiDocument } from './openapi';

export type ServiceUrls = Record<ServiceName, string>;

/**
 * The largest value runtime-config.ts accepts for each of a service's waits: CATCH_UP_WAIT_MS (for another
 * service's facts), REPLICA_WAIT_MS (for a replica to learn of an id) and PUBLICATION_WAIT_MS (for a
 * command's events to reach the broker). gateway.spec.ts checks it still is.
 */
export const SERVICE_WAIT_SETTING_MAX_MS = 60_000;

/**
 * The longest a service may rightly leave a request unanswered: one command may wait for facts, for a
 * replica, for its Idempotency-Key while another request holds it (KEY_WAIT_MS, then 409
 * idempotency_key_in_progress), and for publication, one after another, each at the most it may be set to,
 * whatever a deployment sets (the gateway is not told the services' settings).
 */
export const LONGEST_SERVICE_WAIT_MS = 3 * SERVICE_WAIT_SETTING_MAX_MS + KEY_WAIT_MS;

/**
 * How long the gateway waits for a service's answer before 502: above LONGEST_SERVICE_WAIT_MS, with a
 * margin for the work around the waits (a question to trainee-service is bounded at 5 s, the database's
 * work), so that a service's own answer (a 409, a 503 with Retry-After, `Publication: pending`) always
 * reaches the client rather than the gateway's 502. A proxy in front of the gateway must wait longer still
 * (the Ingress of k8s/, tools/deploy/k8s-manifests.ts).
 */
export const PROXY_TIMEOUT_MS = LONGEST_SERVICE_WAIT_MS + 15_000;

/** The services' HTTP settings, and how long the gateway waits for a service's answer (default PROXY_TIMEOUT_MS). */
export interface GatewaySettings extends HttpSettings {
  proxyTimeoutMs?: number;
}

/** How long a gateway made with `settings` waits for a service's answer before 502. */
export const proxyTimeoutOf = (settings: GatewaySettings = HTTP_SETTINGS_DEFAULTS): number => settings.proxyTimeoutMs ?? PROXY_TIMEOUT_MS;

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
 * is served at `/` too. A service's answer is waited for `settings.proxyTimeoutMs` (PROXY_TIMEOUT_MS
 * unless a test sets less), then answered 502.
 */
export function createGateway(services: ServiceUrls, settings: GatewaySettings = HTTP_SETTINGS_DEFAULTS, consoleDir?: string): Express {
  const app = express();
  // As in the services (configureHttp): paths match in the case api.md spells them; /API/V1/… is an unknown
  // path, never passed on as a second spelling of /api/v1/…. Before any app.use: the router takes it when made.
  app.set('case sensitive routing', true);
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
        proxyTimeout: proxyTimeoutOf(settings),
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
          // A service that dies mid-answer: were the client's response left open, the client would wait on a
          // truncated 200, or take it for the whole answer. Cut, the client sees the connection fail.
          proxyRes: (proxyResponse, _request, response) => {
            proxyResponse.once('close', () => {
              if (!proxyResponse.complete) response.destroy();
            });
          },
          error: (_error, _request, response) => {
            if (!('status' in response)) return;
            // Once headers went out no 502 can follow: cut the connection rather than leave it open.
            if (response.headersSent) response.destroy();
            else problem(response as Response, 502, 'Bad gateway', `${name} did not answer`);
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
    const documents = await Promise.all(Object.entries(services).map(([name, url]) => openApiDocumentOf(name, url)));
    if (documents.includes(undefined)) return problem(response, 502, 'Bad gateway', 'the API documentation is unavailable; try again later');
    return response.json(mergeOpenApi('skills ladder platform', documents as OpenApiDocument[]));
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
  app.use(answerFailures);
  return app;
}

/**
 * A service's OpenAPI document, or undefined when it gave none, the cause logged: only the log, as a parse
 * failure quotes the service's body (masked by failureForLog), and the client is not told which service.
 */
async function openApiDocumentOf(name: string, url: string): Promise<OpenApiDocument | undefined> {
  try {
    const answer = await fetch(`${url}/api/docs-json`, { signal: AbortSignal.timeout(5000) });
    if (!answer.ok) throw new Error(`answered ${answer.status}`);
    return (await answer.json()) as OpenApiDocument;
  } catch (error) {
    console.error(`gateway: ${name} did not give its OpenAPI document: ${failureForLog(error)}`);
    return undefined;
  }
}

const problems = new ProblemDetailsFilter();

/**
 * What a route or middleware of the gateway failed with (a path it cannot decode, /api/v1/%ZZ/x), answered
 * as the services answer it: the same problem details (ProblemDetailsFilter), never Express's HTML page with
 * a stack. A client's error (4xx) is not logged; a 5xx is, by what failed and where, without the path or
 * anything else the client sent (a query may hold a name).
 */
export function answerFailures(error: unknown, request: Request, response: Response, next: NextFunction): void {
  // Too late for an answer: Express ends the connection.
  if (response.headersSent) return next(error);
  const answer = problems.toProblem(error);
  if (answer.status >= 500) console.error(`gateway: ${request.method} answered ${answer.status}: ${failureForLog(error)}`);
  response.status(answer.status).type('application/problem+json').send(JSON.stringify(answer));
}
