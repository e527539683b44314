import { INestApplication } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { Express, NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { runWithCorrelation } from '@skills/messaging';
import { documentIdempotencyKey, IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { DryRunInterceptor } from './dry-run';
import { documentRateLimits, useHttpHygiene } from './http-hygiene';
import { httpLatency } from './metrics.controller';
import { ProblemDetailsFilter } from './problem-details.filter';
import { JSON_TYPES, MediaTypeInterceptor } from './media-type.interceptor';
import { PublicationInterceptor } from './publication.interceptor';
import { RuntimeConfig } from '../runtime-config';
import { RUNTIME_CONFIG } from '../tokens';
import { documentContract } from './openapi-contract';
import { UndeclaredInputInterceptor } from './undeclared-input';
import { keepBodyParserErrors, refuseDeepJson, validationPipe } from './validation';

/**
 * A client's correlation id kept as given: 8 to 100 letters of the Latin alphabet, digits and `.`, `_`, `:`,
 * `-`, where, its UUIDs aside (`req-<uuid>`), no 7 digits follow one another once those marks are taken out:
 * not a phone number or an identity number, alone, inside `zhangsan13800000000` or spelt `138-0013-8000`.
 * An id of a date and a counter (`req-2021-0001`) is taken for one too: a new id is made, and answered in
 * X-Correlation-Id.
 */
const OPAQUE = /^[A-Za-z0-9._:-]{8,100}$/;
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const isOpaqueCorrelationId = (given: string) => OPAQUE.test(given) && !/\d{7}/.test(given.replace(UUIDS, '').replace(/[._:-]/g, ''));

const BODY_LIMIT = '64kb';

/** What every HTTP host (a service on its own, or the all-in-one platform) sets up the same way. */
export function configureHttp(app: INestApplication, title: string): void {
  const express = app as NestExpressApplication;
  caseSensitiveRouting(express);
  noConditionalAnswers(express);
  express.useLogger(app.get(Logger));
  // First of all, every answer names its request, a refusal before the handler included (the rate limit, a
  // body that is malformed, too large or too deep): a client's own correlation id is kept (for good, in event
  // metadata and the audit log) only when it looks like one, a UUID or another opaque token, never free text
  // such as a name.
  const logger = app.get(Logger);
  express.use((request: Request, response: Response, next: NextFunction) => {
    const given = request.header('x-correlation-id') ?? '';
    const correlationId = isOpaqueCorrelationId(given) ? given : randomUUID();
    response.setHeader('x-correlation-id', correlationId);
    // A refusal answered before the routes' request log begins (the rate limit's 429, a body that cannot be
    // read) is logged here as theirs are (runtime.module.ts): at info, by method, path, status and id alone.
    response.on('finish', () => {
      const refusedBeforeRoutes = (request as { log?: unknown }).log === undefined && response.statusCode >= 400 && response.statusCode < 500;
      // `req` and `res` go through the log's own serializers (method and path; status), as the routes' lines do.
      if (refusedBeforeRoutes) logger.log({ req: request, res: response, correlationId, msg: 'request refused before routing' });
    });
    next();
  });
  // Then, before any body is read: security headers, CORS, the per-address rate limit, OPTIONS.
  useHttpHygiene(app);
  // Any JSON value is parsed (not only objects and arrays), so that a `null` body is answered as such by the
  // validation pipe rather than as malformed JSON; the nesting is bounded before parsing. Every JSON type the
  // MediaTypeInterceptor lets through is read (application/merge-patch+json too), never left unread as if
  // every field were missing.
  express.useBodyParser('json', { type: JSON_TYPES, limit: BODY_LIMIT, strict: false, verify: refuseDeepJson });
  // OAuth clients send the token request as a form (RFC 6749).
  express.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  express.use(keepBodyParserErrors);
  express.use((request: Request, response: Response, next: NextFunction) => {
    // The request's id, as answered (above), is the one its work carries: in its logs, events and audit entries.
    const correlationId = String(response.getHeader('x-correlation-id'));
    const stop = httpLatency.startTimer({ method: request.method });
    response.on('finish', () => stop({ route: request.route?.path ?? 'unmatched', status: response.statusCode }));
    // The actor is the caller the AuthGuard verifies (api.md: the X-Actor header is gone).
    runWithCorrelation(correlationId, next);
  });
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalInterceptors(
    new MediaTypeInterceptor(app.get(Reflector)),
    new UndeclaredInputInterceptor(),
    new PublicationInterceptor(app.get<RuntimeConfig>(RUNTIME_CONFIG).publicationWaitMs),
    new DryRunInterceptor(app.get(ModulesContainer)),
    new IdempotencyInterceptor(app.get(ModulesContainer)),
  );
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, openApiDocument(app, title), { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * Paths are matched in the case api.md spells them: /API/V1/trainees is an unknown path (404), as at the
 * gateway, not a second spelling of /api/v1/trainees that decisions made on the path (an Idempotency-Key's,
 * the console's) would not recognise. Nest's Express adapter makes Express's router in its constructor (for
 * its first, path-less middleware), and the router takes `case sensitive routing` when it is made; each route
 * and mount takes the router's `caseSensitive` when it is added (Nest reads the same property to match its
 * middleware's routes). So both are set, before any route or mount exists, which is checked.
 */
function caseSensitiveRouting(app: NestExpressApplication): void {
  const instance = app.getHttpAdapter().getInstance() as Express;
  instance.set('case sensitive routing', true);
  const router = instance.router as unknown as { caseSensitive?: boolean; stack: Array<{ slash?: boolean }> };
  if (!router.stack.every((layer) => layer.slash)) throw new Error('configureHttp must run before any route or mount is added: they would match in any case');
  router.caseSensitive = true;
}

/**
 * The API's answers carry no ETag and are never a 304 Not Modified: no operation documents one, every answer
 * is `Cache-Control: no-store`, and a client that kept an ETag would be answered an empty body. Express makes
 * a weak ETag of every `res.send` and answers 304 to an If-None-Match that matches it (or is `*`, ETag or
 * not): both are turned off. The web console's files keep theirs (serveConsole: express.static's own
 * option, and index.html through an app of its own), as `send` judges their freshness itself.
 */
function noConditionalAnswers(app: NestExpressApplication): void {
  app.set('etag', false);
  app.use((request: Request, _response: Response, next: NextFunction) => {
    Object.defineProperty(request, 'fresh', { value: false, configurable: true });
    next();
  });
}

/**
 * The OpenAPI document of a host's routes. It needs only the controllers' metadata, so it is also made
 * from an app created in Nest's preview mode (no provider built, no database): the console's typed
 * client is generated that way at build time (tools/openapi/write-document.ts).
 */
export function openApiDocument(app: INestApplication, title: string): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(title).setVersion('1').addBearerAuth().build());
  documentIdempotencyKey(document);
  documentRateLimits(document);
  documentContract(document);
  return document;
}
