import { createHost, loadRuntimeConfig } from '@skills/service-runtime';
import { TraineeModule } from './trainee.module';

/** trainee-service on its own: its database, Kafka, its own consumer group. */
async function main() {
  const config = loadRuntimeConfig(process.env, { port: 3001 });
  const app = await createHost({ title: 'trainee-service', clientId: 'trainee-service', config, modules: [TraineeModule] });
  await app.listen(config.port);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
