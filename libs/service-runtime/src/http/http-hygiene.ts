import { CallHandler, ExecutionContext, INestApplication, NestInterceptor } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { OpenAPIObject } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import cors from 'cors';
import { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, RateLimitInfo } from 'express-rate-limit';
import helmet from 'helmet';
import { METHODS } from 'node:http';
import { from, Observable, switchMap } from 'rxjs';
import { HttpSettings } from '../runtime-config';
import { RUNTIME_CONFIG } from '../tokens';
import { Problem, ProblemError } from './problem-details.filter';

const MINUTE_MS = 60_000;

/** Headers a browser script of an allowed origin may read: what the API documents it answers. */
const EXPOSED_HEADERS = ['Location', 'Retry-After', 'X-Correlation-Id', 'Idempotent-Replayed', 'Publication', 'Complete-Up-To', 'Pending-Facts'];

type Scope = 'address' | 'user';

/**
 * What every host, the gateway included, puts in front of its routes:
 * - security headers (helmet's defaults). Its CSP (`default-src 'self'`, `script-src 'self'`, inline
 *   styles allowed) suits a Vite build of the console and Swagger UI at /api/docs, whose page loads
 *   only its own script files; `upgrade-insecure-requests` is left out, as the one-machine default
 *   serves plain HTTP (on a LAN address the browser would turn every script request into a failing https one);
 * - CORS only for CORS_ORIGINS: a preflight from another origin gets no CORS header at all;
 * - at most RATE_LIMIT_PER_ADDRESS_PER_MINUTE requests a minute per client address (request.ip, so
 *   the host's `trust proxy` decides whose address that is), answered 429 with Retry-After;
 * - OPTIONS on a path that has routes: 204 with `Allow` (an unknown path stays 404).
 */
export function httpHygiene(app: Express, settings: HttpSettings): RequestHandler[] {
  app.disable('x-powered-by');
  // request.ip is the client's, from X-Forwarded-For, only behind a peer believed (TRUST_PROXY).
  app.set('trust proxy', settings.trustProxy);
  const handlers: RequestHandler[] = [helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }), notStored];
  if (settings.corsOrigins.length > 0) handlers.push(corsFor(settings.corsOrigins));
  handlers.push(
    rateLimit({
      windowMs: MINUTE_MS,
      limit: settings.rateLimitPerAddressPerMinute,
      standardHeaders: false,
      legacyHeaders: false,
      requestPropertyName: 'addressRateLimit',
      handler: (request, response) => {
        const problem = rateLimited('address', infoOf(request, 'addressRateLimit'));
        response.setHeader('Retry-After', String(problem.retryAfter));
        response.status(429).type('application/problem+json').send(JSON.stringify(problem));
      },
    }),
    answerOptions(app),
  );
  return handlers;
}

/**
 * What the API answers is the caller's own (a trainee's name and phone, an archive, an import's refused
 * rows): no browser cache or proxy keeps it, where the next user of a shared computer would find it after
 * sign-out. An answer meant to be kept (a status list) says so itself, over this.
 */
const notStored: RequestHandler = (request, response, next) => {
  if (request.path.startsWith('/api/')) response.setHeader('Cache-Control', 'no-store');
  next();
};

/** In a Nest host: the handlers above, and the per-user limit once the AuthGuard knows the caller. */
export function useHttpHygiene(app: INestApplication): void {
  const settings = app.get<HttpSettings>(RUNTIME_CONFIG);
  const express = app as NestExpressApplication;
  for (const handler of httpHygiene(express.getHttpAdapter().getInstance() as Express, settings)) express.use(handler);
  app.useGlobalInterceptors(new PerUserRateLimit(settings.rateLimitPerUserPerMinute));
}

/**
 * A per-minute limit counted where Nest runs interceptors (after every guard), answering the 429
 * problem with Retry-After through the ProblemDetailsFilter. `scope` names what is counted;
 * `options` may say whose request it is (keyGenerator) and which requests it skips.
 */
class MinuteRateLimit implements NestInterceptor {
  private readonly limiter: RequestHandler;

  constructor(scope: Scope, limit: number, requestPropertyName: string, options: Pick<Parameters<typeof rateLimit>[0] & object, 'skip' | 'keyGenerator'> = {}) {
    this.limiter = rateLimit({
      windowMs: MINUTE_MS,
      limit,
      standardHeaders: false,
      legacyHeaders: false,
      requestPropertyName,
      ...options,
      handler: (request, _response, next) => next(new ProblemError(rateLimited(scope, infoOf(request, requestPropertyName)))),
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return countThen(this.limiter, context, next);
  }
}

/**
 * At most RATE_LIMIT_PER_USER_PER_MINUTE requests a minute per verified caller, from any address. An
 * interceptor, because interceptors run after every guard: the key is the user the AuthGuard verified,
 * so nobody can spend another user's allowance with a forged token. Public routes have no user.
 */
class PerUserRateLimit extends MinuteRateLimit {
  constructor(limit: number) {
    super('user', limit, 'userRateLimit', { skip: (request) => !callerOf(request), keyGenerator: (request) => callerOf(request)?.userId ?? '' });
  }
}

/**
 * A tighter per-address limit for one route than the host's (a public lookup that must not become a
 * sweep, e.g. certificate verification by name): at most `limit` requests a minute per client address
 * (request.ip, as the host-wide limit counts them), beyond it the same 429 problem with Retry-After.
 * Use it as the route's interceptor; each instance counts for itself.
 */
export class AddressRateLimit extends MinuteRateLimit {
  constructor(limit: number) {
    super('address', limit, 'routeRateLimit');
  }
}

/** Runs an express-rate-limit handler on the request, then the route (or its 429 through the ProblemDetailsFilter). */
function countThen(limiter: RequestHandler, context: ExecutionContext, next: CallHandler): Observable<unknown> {
  const request = context.switchToHttp().getRequest<Request>();
  const response = context.switchToHttp().getResponse<Response>();
  const counted = new Promise<void>((resolve, reject) => limiter(request, response, (error?: unknown) => (error ? reject(error) : resolve())));
  return from(counted).pipe(switchMap(() => next.handle()));
}

const callerOf = (request: Request) => (request as Request & { caller?: Caller }).caller;

const infoOf = (request: Request, property: string) => (request as unknown as Record<string, RateLimitInfo>)[property];

function rateLimited(scope: Scope, info: RateLimitInfo): Problem & { retryAfter: number } {
  const retryAfter = Math.max(1, Math.ceil(((info.resetTime?.getTime() ?? Date.now() + MINUTE_MS) - Date.now()) / 1000));
  const who = scope === 'address' ? 'this client address' : 'this user';
  return {
    type: 'urn:skills:http:429',
    title: 'too many requests',
    status: 429,
    detail: `more than ${info.limit} requests a minute from ${who}; repeat after ${retryAfter} s`,
    rule: 'rate_limited',
    limit: info.limit,
    retryAfter,
  };
}

/** The `cors` middleware for named origins; another origin gets no CORS header, so its browser refuses. */
function corsFor(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  const handler = cors({ origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin) ? origin : false), exposedHeaders: EXPOSED_HEADERS, maxAge: 600 });
  return (request, response, next) => {
    // The answer depends on Origin for every request, allowed or not: caches must keep them apart.
    response.vary('Origin');
    handler(request, response, next);
  };
}

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

const METHODS_IN_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Express answers OPTIONS itself only when no catch-all follows the routes; Nest's 404 handler is one. */
function answerOptions(app: Express): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'OPTIONS') return next();
    const methods = allowedMethods(app, request.path);
    if (methods.length === 0) return next();
    response.setHeader('Allow', [...methods, 'OPTIONS'].join(', '));
    response.status(204).end();
  };
}

/** The methods of the routes matching `path`, read from the app's router (routes are added after this middleware). */
function allowedMethods(app: Express, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of (app.router as unknown as { stack: RouteLayer[] }).stack) {
    if (!layer.route || !layer.match(path)) continue;
    const routeMethods = Object.keys(layer.route.methods);
    // A route for every method is middleware Nest mounts that way (the request logger on /{*path}), not a resource's.
    if (routeMethods.includes('_all') || routeMethods.length >= METHODS.length) continue;
    for (const method of routeMethods) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  methods.delete('OPTIONS');
  return METHODS_IN_ORDER.filter((method) => methods.has(method));
}

/** The header of every 429: when to ask again (the shared RateLimited answer, and an operation's own 429). */
const RETRY_AFTER_HEADER = { 'Retry-After': { description: 'Seconds until the limit allows requests again', schema: { type: 'integer', minimum: 1 } } };

/** What every operation's 429 may be: the per-minute limits of each address and user. */
const PER_MINUTE =
  'Too many requests from this client address (RATE_LIMIT_PER_ADDRESS_PER_MINUTE) or this user (RATE_LIMIT_PER_USER_PER_MINUTE) ' +
  'in the current minute; nothing was done. Repeat after Retry-After seconds.';

/**
 * Every operation may answer 429 (per address, per user); documented once and referred to from each. An
 * operation with a 429 of its own (a limit of its own) says the per-minute limits too, and Retry-After.
 */
export function documentRateLimits(document: OpenAPIObject): void {
  document.components = document.components ?? {};
  document.components.responses = {
    ...document.components.responses,
    RateLimited: {
      description: PER_MINUTE,
      headers: RETRY_AFTER_HEADER,
      content: {
        'application/problem+json': {
          schema: {
            type: 'object',
            required: ['type', 'title', 'status', 'detail', 'rule', 'retryAfter'],
            properties: {
              type: { type: 'string', example: 'urn:skills:http:429' },
              title: { type: 'string', example: 'too many requests' },
              status: { type: 'integer', enum: [429] },
              detail: { type: 'string' },
              rule: { type: 'string', enum: ['rate_limited'] },
              limit: { type: 'integer', description: 'Requests allowed a minute' },
              retryAfter: { type: 'integer', minimum: 1 },
            },
          },
        },
      },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const) {
      const operation = item[method];
      if (operation) operation.responses = { ...operation.responses, 429: withPerMinuteLimits(operation.responses?.[429]) };
    }
  }
}

/** One answer of an operation, as the document holds it: a response, or a reference to a shared one. */
type OperationResponse = NonNullable<OpenAPIObject['paths'][string]['get']>['responses'][string];

/** An operation's 429: the shared one, or its own saying the per-minute limits and Retry-After too (once, however often documented). */
function withPerMinuteLimits(own: OperationResponse | undefined): OperationResponse {
  if (!own) return { $ref: '#/components/responses/RateLimited' };
  if ('$ref' in own || own.description.includes(PER_MINUTE)) return own;
  return { ...own, description: `${own.description} Also, as for every operation: ${PER_MINUTE}`, headers: { ...RETRY_AFTER_HEADER, ...own.headers } };
}
