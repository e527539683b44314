import { INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Clock } from '@skills/domain-kernel';
import { connectConsumers } from '@skills/messaging';
import { configureHttp } from './http/configure-http';
import { checkKeyOpensItsData } from './keys/master-key-check';
import { declaredServices } from './service-definitions';
import { serveConsole } from './http/console-files';
import { ConfigurationError, databaseUrlFor, loadRuntimeConfig, RuntimeConfig } from './runtime-config';
import { RuntimeModule } from './runtime.module';

export interface HostOptions {
  title: string;
  /** Kafka client id and consumer group: one per deployed service (or the platform). */
  clientId: string;
  config: RuntimeConfig;
  modules: Type[];
  /** The system clock unless given (tests fix it). */
  clock?: Clock;
  /** The built web console to serve at `/` (the all-in-one host does; a service alone does not). */
  consoleDir?: string;
}

@Module({})
class HostModule {}

/** The root module of a host: the runtime (configuration, database, bus) and the service modules. */
export const hostModule = (options: Pick<HostOptions, 'config' | 'clientId' | 'clock' | 'modules'>) => ({
  module: HostModule,
  imports: [RuntimeModule.forRoot(options.config, options.clientId, options.clock), ...options.modules],
});

/**
 * Builds a host for some service modules: a service's own main passes one, the all-in-one
 * platform passes all of them. The app is initialised (schemas migrated, relays running) and its
 * consumers attached, but not yet listening on HTTP. On Kafka, the topics and the consumers are made
 * in the background (BrokerLink): a host starts while the broker is down, and takes commands into its outbox.
 */
export async function createHost(options: HostOptions): Promise<INestApplication> {
  const app = await NestFactory.create(
    hostModule(options),
    // abortOnError off: a start-up failure is thrown to the caller, not process.exit(1).
    { bufferLogs: true, bodyParser: false, abortOnError: false },
  );
  configureHttp(app, options.title);
  // Before init: Nest's own 404 handler, registered by init, would otherwise answer every page first.
  if (options.consoleDir) serveConsole(app.getHttpAdapter().getInstance(), options.consoleDir);
  const startConsumers = connectConsumers(app);
  try {
    await app.init();
  } catch (error) {
    // What did start (pools, relays, projections, timers) stops: a caller that goes on, as a test does, keeps nothing of it running.
    await app.close().catch(() => undefined);
    throw error;
  }
  await startConsumers();
  return app;
}

/**
 * A setting a service deployed on its own cannot start without, and why: one whose absence would not
 * fail loudly but switch a rule off (no trainee-service to ask: the age and void rules judge nothing).
 */
export interface RequiredSetting {
  name: string;
  why: string;
}

/** The main of a service deployed on its own: configuration from the environment, Kafka by default. */
export function runStandalone(options: Omit<HostOptions, 'config'> & { defaultPort: number; requires?: RequiredSetting[] }): void {
  const start = async () => {
    const missing = (options.requires ?? []).filter((setting) => !process.env[setting.name]);
    if (missing.length > 0) throw new ConfigurationError(missing.map((setting) => `${setting.name} is required: ${setting.why}`));
    const config = loadRuntimeConfig(process.env, { port: options.defaultPort });
    // As the all-in-one: before any module migrates or writes, personal data only with the key it was sealed
    // with (a typo in a Secret would otherwise seal new trainees under a key that opens none of the others).
    for (const service of declaredServices()) await checkKeyOpensItsData(databaseUrlFor(config, service.name), service);
    // KAFKA_CLIENT_ID names the consumer group: two deployments sharing one broker must not share groups.
    const app = await createHost({ ...options, clientId: process.env.KAFKA_CLIENT_ID || options.clientId, config });
    await app.listen(config.port);
  };
  start().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
