import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock, systemClock } from '@skills/domain-kernel';
import { currentCorrelation, MessagingModule } from '@skills/messaging';
import { LoggerModule } from 'nestjs-pino';
import { Authentication } from './auth/authentication';
import { AuthGuard } from './auth/auth.guard';
import { LocalIssuer } from './auth/local-issuer';
import { DisabledUsers } from './disabled-users';
import { RevokedApiKeys } from './auth/revoked-api-keys';
import { AdminController } from './http/admin.controller';
import { DeadLettersController } from './http/dead-letters.controller';
import { HealthController } from './http/health.controller';
import { MetricsController } from './http/metrics.controller';
import { OutboxPositionController } from './outbox-position';
import { RuntimeConfig } from './runtime-config';
import { ServiceRegistry } from './service-registry';
import { CLOCK, RUNTIME_CONFIG } from './tokens';
import { TraineeAges } from './trainee-ages';
import { TraineeNames } from './trainee-names';
import { CatchUp } from './catch-up';
import { requestForLog } from './request-for-log';

/**
 * Process-wide pieces every host needs once: configuration, the clock, the bus, JSON logs carrying the
 * correlation id, health, metrics and the admin endpoints, and the AuthGuard on every route (deny by
 * default: a route is @Public() or names its @Permission()). Service modules come on top.
 */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(config: RuntimeConfig, clientId: string, clock: Clock = systemClock): DynamicModule {
    return {
      module: RuntimeModule,
      imports: [
        MessagingModule.forRoot({ transport: config.transport, kafkaBrokers: config.kafkaBrokers, clientId }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Each answer once it is sent, with its status and time: a refusal (4xx: a failed sign-in, a 429) at
            // info, for an operator; a success at debug. A 5xx is logged with its cause by the ProblemDetailsFilter, not twice.
            customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'silent' : response.statusCode >= 400 ? 'info' : 'debug'),
            // The id the answer names (configureHttp), also on an answer given before the request's own context began.
            customProps: (_request, response) => ({ correlationId: (response.getHeader('x-correlation-id') as string | undefined) ?? currentCorrelation().correlationId }),
            // A log line names the request by method and path only: never its headers (a bearer token,
            // an API key's secret), its query (a search by name) or its body (personal data).
            serializers: { req: requestForLog, res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }) },
          },
        }),
      ],
      // OutboxPositionController: how far this process's outboxes have published, for other services' CatchUp.
      controllers: [HealthController, MetricsController, AdminController, DeadLettersController, OutboxPositionController],
      providers: [{ provide: RUNTIME_CONFIG, useValue: config }, { provide: CLOCK, useValue: clock }, ServiceRegistry, LocalIssuer, DisabledUsers, RevokedApiKeys, Authentication, AuthGuard, TraineeAges, TraineeNames, CatchUp, { provide: APP_GUARD, useExisting: AuthGuard }],
      exports: [RUNTIME_CONFIG, CLOCK, ServiceRegistry, LocalIssuer, DisabledUsers, RevokedApiKeys, Authentication, AuthGuard, TraineeAges, TraineeNames, CatchUp],
    };
  }
}
