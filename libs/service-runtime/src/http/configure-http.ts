import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { runWithCorrelation } from '@skills/messaging';
import { documentIdempotencyKey, IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { httpLatency } from './metrics.controller';
import { ProblemDetailsFilter } from './problem-details.filter';
import { validationPipe } from './validation';

const BODY_LIMIT = '64kb';

/** What every HTTP host (a service on its own, or the all-in-one platform) sets up the same way. */
export function configureHttp(app: INestApplication, title: string): void {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.useBodyParser('json', { limit: BODY_LIMIT });
  // OAuth clients send the token request as a form (RFC 6749).
  express.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  express.use((request: Request, response: Response, next: NextFunction) => {
    const correlationId = (request.header('x-correlation-id') ?? '').slice(0, 100) || randomUUID();
    response.setHeader('x-correlation-id', correlationId);
    const stop = httpLatency.startTimer({ method: request.method });
    response.on('finish', () => stop({ route: request.route?.path ?? 'unmatched', status: response.statusCode }));
    // No sign-in exists yet; a client names who acts (a clerk, a script) so every event records it.
    const actor = (request.header('x-actor') ?? '').trim().slice(0, 100) || 'anonymous';
    runWithCorrelation(correlationId, next, undefined, actor);
  });
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalInterceptors(new IdempotencyInterceptor(app.get(ModulesContainer)));
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(title).setVersion('1').addBearerAuth().build());
  documentIdempotencyKey(document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
