import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { systemActor } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { CommandPipeline, MessagePublisher, OutboxRelay, ProjectionRunner } from '@skills/event-sourcing';
import { currentCorrelation, DEAD_LETTER_SINKS, DeadLetters, DeadLetterSinks, MESSAGE_PUBLISHER, MessageConsumer } from '@skills/messaging';
import { Database, migrate, NotificationListener, Transactions } from '@skills/postgres';
import { AuditTrail } from './audit/audit-trail';
import { databaseUrlFor, RuntimeConfig } from './runtime-config';
import { CLOCK, RUNTIME_CONFIG } from './tokens';
import { ServiceRegistry } from './service-registry';
import { DisabledUsers, disabledUsersFor } from './disabled-users';
import { RevokedApiKeys, revokedApiKeysFor } from './auth/revoked-api-keys';
import { declareService, ServiceDefinition, serviceMigrations, serviceProjections } from './service-definitions';

const SERVICE_DEFINITION = Symbol('SERVICE_DEFINITION');

@Injectable()
class ServiceLifecycle implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('ServiceRuntime');
  private disabledUsersListener?: NotificationListener;
  private revokedApiKeysListener?: NotificationListener;

  constructor(
    @Inject(SERVICE_DEFINITION) private readonly definition: ServiceDefinition,
    private readonly database: Database,
    private readonly relay: OutboxRelay,
    private readonly projections: ProjectionRunner,
    private readonly consumer: MessageConsumer,
    private readonly deadLetters: DeadLetters,
    private readonly registry: ServiceRegistry,
    private readonly disabledUsers: DisabledUsers,
    private readonly revokedApiKeys: RevokedApiKeys,
  ) {}

  async onModuleInit(): Promise<void> {
    await migrate(this.database.options.url, this.database.schema, serviceMigrations(this.definition));
    // Before the first request: a disabled user's token must not pass in the moment after start.
    this.disabledUsersListener = await this.disabledUsers.follow(this.database);
    this.revokedApiKeysListener = await this.revokedApiKeys.follow(this.database);
    await this.projections.start();
    await this.relay.start();
    this.registry.register({ name: this.definition.name, database: this.database, relay: this.relay, projections: this.projections, deadLetters: this.deadLetters });
    this.logger.log(`${this.definition.name}: schema migrated, relay and projections running`);
  }

  /** First every service stops delivering (an in-process relay calls other services' handlers)… */
  async onModuleDestroy(): Promise<void> {
    this.consumer.stop();
    await this.disabledUsersListener?.stop();
    await this.revokedApiKeysListener?.stop();
    await this.relay.stop();
    await this.projections.stop();
  }

  /** …then, once nothing runs any more, the pools close. */
  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/**
 * The write and read machinery of one service: its schema-bound pool, command handler, outbox
 * relay, projections and message consumer. Each service module imports its own instance, so the
 * all-in-one host composes five of them side by side without sharing state.
 */
@Module({})
export class ServiceRuntimeModule {
  static forService(definition: ServiceDefinition): DynamicModule {
    declareService(definition);
    const onError = (what: string) => {
      const logger = new Logger(`${definition.name}:${what}`);
      return (error: unknown) => logger.warn(error instanceof Error ? error.message : String(error));
    };
    // Every service refuses a disabled user's tokens, so every service keeps the identity topic's disabled users.
    const disabledUsers = disabledUsersFor(definition.name);
    // And the revoked API keys: a key's token is refused everywhere once it is revoked.
    const revokedApiKeys = revokedApiKeysFor(definition.name);
    return {
      module: ServiceRuntimeModule,
      controllers: [...disabledUsers.controllers, ...revokedApiKeys.controllers],
      providers: [
        { provide: SERVICE_DEFINITION, useValue: definition },
        ...disabledUsers.providers,
        ...revokedApiKeys.providers,
        // The pool; relays, projections and consumers use it directly, never joined to a request.
        { provide: Database, inject: [RUNTIME_CONFIG], useFactory: (config: RuntimeConfig) => new Database({ url: databaseUrlFor(config, definition.name), schema: definition.name, poolSize: 20 }) },
        // Write-side work: joins a command's Idempotency-Key transaction when there is one.
        { provide: Transactions, inject: [Database], useFactory: (database: Database) => new Transactions(database) },
        {
          provide: CommandPipeline,
          inject: [Transactions, CLOCK, OutboxRelay],
          // Work outside any request or message (start-up, a tool) is the platform's own: via system.
          // A request's answer waits for what its commands enqueued to be published (PublicationInterceptor).
          useFactory: (transactions: Transactions, clock: Clock, relay: OutboxRelay) =>
            new CommandPipeline(
              transactions,
              clock,
              () => {
                const context = currentCorrelation();
                return context.actor ? context : { ...context, actor: systemActor(definition.name) };
              },
              (messageIds) => currentCorrelation().publications?.push((timeoutMs) => relay.published(messageIds, timeoutMs)),
            ),
        },
        {
          provide: OutboxRelay,
          inject: [Database, MESSAGE_PUBLISHER],
          useFactory: (database: Database, publisher: MessagePublisher) => new OutboxRelay(database, publisher, { onError: onError('outbox') }),
        },
        {
          provide: ProjectionRunner,
          inject: [Database, RUNTIME_CONFIG],
          useFactory: (database: Database, config: RuntimeConfig) => new ProjectionRunner(database, serviceProjections(definition, config), { onError: onError('projections') }),
        },
        { provide: DeadLetters, inject: [Database, DEAD_LETTER_SINKS], useFactory: (database: Database, sinks: DeadLetterSinks) => sinks(database) },
        { provide: MessageConsumer, inject: [Database, DeadLetters], useFactory: (database: Database, deadLetters: DeadLetters) => new MessageConsumer(database, deadLetters) },
        // Reads of personal data, audited through this service's outbox.
        AuditTrail,
        ServiceLifecycle,
      ],
      exports: [Database, Transactions, CommandPipeline, OutboxRelay, ProjectionRunner, MessageConsumer, AuditTrail],
    };
  }
}
