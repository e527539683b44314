import { Catch, DynamicModule, ExceptionFilter, Global, INestApplication, Inject, Logger, Module, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ClientKafka, MicroserviceOptions, NestMicroservice } from '@nestjs/microservices';
import { Database } from '@skills/postgres';
import { describeFailure, MessagePublisher } from '@skills/event-sourcing';
import type { Producer } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
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
export const BROKER_LINK = Symbol('BROKER_LINK');

/** A service's dead letters, in its own database; forwarded to the dead-letter topic when there is a broker. */
export type DeadLetterSinks = (database: Database) => DeadLetters;

/** The wait after a failed attempt to reach the broker: this, doubling at each failure, up to BROKER_RETRY_MAX_MS. */
const BROKER_RETRY_FIRST_MS = 1000;
const BROKER_RETRY_MAX_MS = 30_000;
/**
 * How long a shutdown waits for the attempt in hand: a consumers attempt retries for minutes on kafkajs's
 * backoff, well past a shutdown's grace period. What it connects after that is closed as it ends.
 */
const BROKER_STOP_WAIT_MS = 5000;

/** Thrown by a Kafka host's publisher before the integration topics are ensured: nothing was sent; try again later. */
export class BrokerNotReady extends Error {
  /** The most the link waits between two attempts (BROKER_RETRY_MAX_MS): by then it has tried again. */
  readonly retryAfterSeconds = Math.ceil(BROKER_RETRY_MAX_MS / 1000);

  constructor() {
    super('the integration topics are not ensured yet (the broker has not answered since this host started)');
    this.name = 'BrokerNotReady';
  }
}

/**
 * A Kafka host's link to the broker, made in the background: a host starts, and takes commands into its
 * outbox, while the broker is down (a restarted or newly scaled replica during an outage, which would
 * otherwise fail to start and serve nothing). The integration topics are ensured first, then the
 * consumers connected, each tried again with backoff until it succeeds. Nothing is published before the
 * topics are ensured (TopicsFirstPublisher): a send, or a consumer's subscription, to a topic that is not
 * there has the broker make it with its own defaults (one partition, a week's retention), which
 * ensureTopics would then find and leave as it is.
 */
export class BrokerLink {
  private readonly logger = new Logger('BrokerLink');
  private readonly stopping = new AbortController();
  private topics: Promise<boolean> = Promise.resolve(false);
  private consumers: Promise<boolean> = Promise.resolve(false);
  private ensured = false;
  private consuming = false;

  constructor(private readonly brokers: string[]) {}

  /** Whether the integration topics are ensured: until then nothing is published. */
  get topicsEnsured(): boolean {
    return this.ensured;
  }

  /** Whether the topics are ensured and the consumers connected (a later outage is kafkajs's to ride out). */
  get connected(): boolean {
    return this.ensured && this.consuming;
  }

  ensureTopics(): void {
    const ensure = async () => {
      await ensureTopics(this.brokers);
      return true;
    };
    this.topics = this.untilDone('ensure the integration topics', ensure).then((done) => (this.ensured = done));
  }

  /** Connects the consumers once the topics are ensured; a failed attempt's half-made clients are closed before the next. */
  connectConsumers(consumers: NestMicroservice, server: BatchingKafkaServer): void {
    const connect = async () => {
      try {
        await consumers.listen();
      } catch (error) {
        await server.close().catch(() => undefined);
        throw error;
      }
      // Connected after stop() stopped waiting for it: the app is closing, or closed, without them.
      if (this.stopping.signal.aborted) {
        await server.close().catch(() => undefined);
        return false;
      }
      return true;
    };
    this.consumers = this.topics.then((ensured) => ensured && this.untilDone('connect the consumers', connect)).then((done) => (this.consuming = done));
  }

  /** Ends the attempts: none starts after, and the one in hand is waited for at most BROKER_STOP_WAIT_MS. */
  async stop(): Promise<void> {
    this.stopping.abort();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), BROKER_STOP_WAIT_MS);
    });
    try {
      const ended = await Promise.race([Promise.all([this.topics, this.consumers]).then(() => true), waited]);
      if (!ended) this.logger.warn(`stopped without the attempt to reach the broker in hand, after ${BROKER_STOP_WAIT_MS / 1000} s: what it connects is closed as it ends`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `attempt` resolves true when done, false when it ended because the link is stopping. */
  private async untilDone(what: string, attempt: () => Promise<boolean>): Promise<boolean> {
    for (let failures = 0; !this.stopping.signal.aborted; failures++) {
      try {
        if (!(await attempt())) return false;
        if (failures > 0) this.logger.log(`${what}: done, after ${failures} failed attempts`);
        return true;
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        const delayMs = Math.min(BROKER_RETRY_FIRST_MS * 2 ** failures, BROKER_RETRY_MAX_MS);
        // kafkajs's words name brokers and topics, not messages; masked all the same, as every failure logged.
        this.logger.warn(`could not ${what}: ${describeFailure(error)}; trying again in ${delayMs / 1000} s`);
        await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
    return false;
  }
}

/**
 * A KafkaPublisher that sends nothing until the link has ensured the topics (BrokerNotReady): the relay
 * asks `ready()` first and leaves the messages in the outbox until then, without a read or a failure.
 */
class TopicsFirstPublisher extends KafkaPublisher {
  constructor(
    client: ClientKafka,
    private readonly link: BrokerLink,
  ) {
    super(client);
  }

  ready(): boolean {
    return this.link.topicsEnsured;
  }

  override async producer(): Promise<Producer> {
    if (!this.link.topicsEnsured) throw new BrokerNotReady();
    return super.producer();
  }
}

class TransportLifecycle implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    @Inject(TRANSPORT_CONFIG) private readonly config: TransportConfig,
    @Inject(MESSAGE_PUBLISHER) private readonly publisher: MessagePublisher,
    @Inject(BROKER_LINK) private readonly link: BrokerLink,
  ) {}

  onModuleInit(): void {
    if (this.config.transport === 'kafka') this.link.ensureTopics();
  }

  /** Before the app closes its consumers (dispose): no attempt may connect them after. */
  async onModuleDestroy(): Promise<void> {
    await this.link.stop();
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
    const link = new BrokerLink(config.kafkaBrokers);
    const publisher: MessagePublisher =
      config.transport === 'kafka' ? new TopicsFirstPublisher(KafkaPublisher.client(config.kafkaBrokers, config.clientId), link) : new InProcessTransport();
    const deadLetterSinks: DeadLetterSinks = (database) =>
      new DeadLetters(database, publisher, publisher instanceof KafkaPublisher ? new KafkaDeadLetterSink(() => publisher.producer()) : undefined);
    return {
      module: MessagingModule,
      providers: [
        { provide: TRANSPORT_CONFIG, useValue: config },
        { provide: MESSAGE_PUBLISHER, useValue: publisher },
        { provide: DEAD_LETTER_SINKS, useValue: deadLetterSinks },
        { provide: BROKER_LINK, useValue: link },
        TransportLifecycle,
      ],
      exports: [TRANSPORT_CONFIG, MESSAGE_PUBLISHER, DEAD_LETTER_SINKS, BROKER_LINK],
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
 * Returns what starts them, called once the app is initialised.
 */
export function connectConsumers(app: INestApplication): () => Promise<void> {
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
  // Started once the app is initialised (their handlers' schemas migrated): in one process at once; on
  // Kafka in the background (BrokerLink), so the start does not wait for the broker, nor fail for want of it.
  return strategy instanceof BatchingKafkaServer
    ? async () => app.get<BrokerLink>(BROKER_LINK).connectConsumers(consumers, strategy)
    : async () => void (await app.startAllMicroservices());
}
