import { createHost, loadRuntimeConfig } from '@skills/service-runtime';
import { TrainingModule } from './training.module';

/** training-service on its own: its database, Kafka, its own consumer group. */
async function main() {
  const config = loadRuntimeConfig(process.env, { port: 3002 });
  const app = await createHost({ title: 'training-service', clientId: 'training-service', config, modules: [TrainingModule] });
  await app.listen(config.port);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
