import { INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { connectConsumers } from '@skills/messaging';
import { configureHttp } from './http/configure-http';
import { RuntimeConfig } from './runtime-config';
import { RuntimeModule } from './runtime.module';

export interface HostOptions {
  title: string;
  /** Kafka client id and consumer group: one per deployed service (or the platform). */
  clientId: string;
  config: RuntimeConfig;
  modules: Type[];
}

@Module({})
class HostModule {}

/**
 * Builds a host for some service modules: a service's own main passes one, the all-in-one
 * platform passes all of them. The app is initialised (schemas migrated, relays running) and its
 * consumers attached, but not yet listening on HTTP.
 */
export async function createHost(options: HostOptions): Promise<INestApplication> {
  const app = await NestFactory.create(
    { module: HostModule, imports: [RuntimeModule.forRoot(options.config, options.clientId), ...options.modules] },
    // abortOnError off: a start-up failure is thrown to the caller, not process.exit(1).
    { bufferLogs: true, bodyParser: false, abortOnError: false },
  );
  configureHttp(app, options.title);
  connectConsumers(app);
  await app.init();
  await app.startAllMicroservices();
  return app;
}
