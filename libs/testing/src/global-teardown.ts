// Jest global teardown: stops what global-setup started (and only that), so no java or postgres
// process, and no container, outlives the run.
import { testInfra } from './infra-state';

export default async function globalTeardown(): Promise<void> {
  const infra = testInfra();
  const stops = await Promise.allSettled([
    infra.kafkaBroker?.destroy(),
    infra.kafkaContainer?.stop(),
    infra.postgres?.stop(),
    infra.postgresContainer?.stop(),
  ]);
  infra.kafkaBroker = infra.kafkaContainer = infra.postgres = infra.postgresContainer = undefined;
  // In watch mode setup runs again in this process; it must not find the old, dead addresses.
  for (const name of infra.setEnv.splice(0)) delete process.env[name];
  for (const stop of stops) if (stop.status === 'rejected') console.error('Test infrastructure teardown:', stop.reason);
}
