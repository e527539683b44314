import { Catch, DynamicModule, ExceptionFilter, Global, INestApplication, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { Database } from '@skills/postgres';
import { MessagePublisher } from '@skills/event-sourcing';
import { BatchingKafkaServer } from './batching-kafka-server';
import { DeadLetters, KafkaDeadLetterSink } from './dead-letters';
import { InProcessTransport } from './in-process-transport';
import { KafkaPublisher } from './kafka-publisher';
import { ensureTopics } from './topics';

// Nest's Kafka server builds a reply producer we never use; its default-partitioner notice is noise.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export interface TransportConfig {
  transport: 'in-process' | 'kafka';
  kafkaBrokers: string[];
  /** Names the Kafka client and, for consumers, the consumer group (one per service). */
  clientId: string;
}

export const TRANSPORT_CONFIG = Symbol('TRANSPORT_CONFIG');
export const MESSAGE_PUBLISHER = Symbol('MESSAGE_PUBLISHER');
export const DEAD_LETTER_SINKS = Symbol('DEAD_LETTER_SINKS');

/** A service's dead letters, in its own database; forwarded to the dead-letter topic when there is a broker. */
export type DeadLetterSinks = (database: Database) => DeadLetters;

class TransportLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(TRANSPORT_CONFIG) private readonly config: TransportConfig,
    @Inject(MESSAGE_PUBLISHER) private readonly publisher: MessagePublisher,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.transport === 'kafka') await ensureTopics(this.config.kafkaBrokers);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.publisher instanceof KafkaPublisher) await this.publisher.close();
  }
}

/**
 * Picks the bus by configuration; handler code (@EventPattern + MessageConsumer) is the same for both.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(config: TransportConfig): DynamicModule {
    const publisher: MessagePublisher =
      config.transport === 'kafka' ? new KafkaPublisher(KafkaPublisher.client(config.kafkaBrokers, config.clientId)) : new InProcessTransport();
    const deadLetterSinks: DeadLetterSinks = (database) =>
      new DeadLetters(database, publisher, publisher instanceof KafkaPublisher ? new KafkaDeadLetterSink(() => publisher.producer()) : undefined);
    return {
      module: MessagingModule,
      providers: [
        { provide: TRANSPORT_CONFIG, useValue: config },
        { provide: MESSAGE_PUBLISHER, useValue: publisher },
        { provide: DEAD_LETTER_SINKS, useValue: deadLetterSinks },
        TransportLifecycle,
      ],
      exports: [TRANSPORT_CONFIG, MESSAGE_PUBLISHER, DEAD_LETTER_SINKS],
    };
  }
}

/**
 * A message handler's error goes to the transport as it was thrown: the transport decides on it (a
 * retry, the chunk's savepoint, a dead letter), so no filter may turn it into an answer.
 */
@Catch()
class ErrorsToTheTransport implements ExceptionFilter {
  catch(exception: unknown): never {
    throw exception;
  }
}

/**
 * Attaches the consuming side of the configured transport to an application. The handlers get none of
 * the app's global interceptors, pipes, filters and guards (inheritAppConfig off; APP_GUARD goes into the
 * app's own config too): those are for HTTP, let every message through unchanged, and cost each message
 * Nest's interceptor chain (an rxjs pipeline and an AsyncResource per interceptor: 0.13 ms of an
 * import's host CPU a row). Something every handler needs goes into MessageConsumer, not a global.
 */
export function connectConsumers(app: INestApplication): void {
  const config = app.get<TransportConfig>(TRANSPORT_CONFIG);
  const strategy =
    config.transport === 'in-process'
      ? app.get<InProcessTransport>(MESSAGE_PUBLISHER)
      : new BatchingKafkaServer({
          postfixId: '',
          client: { clientId: `${config.clientId}-consumer`, brokers: config.kafkaBrokers, retry: { retries: 10, initialRetryTime: 200 } },
          // A short fetch wait keeps shutdown quick (disconnect waits for the fetch in flight).
          consumer: { groupId: config.clientId, allowAutoTopicCreation: true, maxWaitTimeInMs: 500, retry: { retries: 10, restartOnFailure: async () => true } },
          subscribe: { fromBeginning: true },
          // Partitions are applied concurrently (order holds within each, where an aggregate lives).
          run: { autoCommit: true, partitionsConsumedConcurrently: 6 },
        });
  // Deferred, so the filter is there before the handlers are made (each takes the filters of that
  // moment); then what connectMicroservice does when not deferred.
  const consumers = app.connectMicroservice<MicroserviceOptions>({ strategy }, { inheritAppConfig: false, deferInitialization: true }) as NestMicroservice;
  consumers.useGlobalFilters(new ErrorsToTheTransport());
  consumers.registerListeners();
  consumers.setIsInitialized(true);
  consumers.setIsInitHookCalled(true);
}
