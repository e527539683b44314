// Child process: one service host (trainee-service or training-service) on Kafka, as deployed:
// its own process, database and consumer group.
import { startTestHost, TestHost } from '@skills/testing';
import { serveParent } from '../support/child';

let host: TestHost | undefined;

interface StartParams {
  service: 'trainee' | 'training';
  databaseUrl: string;
  kafkaBrokers: string[];
  clientId: string;
}

async function start(params: StartParams): Promise<{ baseUrl: string }> {
  // Imported here, so each process loads only its own service.
  const modules =
    params.service === 'trainee'
      ? [(await import('@skills/trainee-service')).TraineeModule]
      : [(await import('@skills/training-service')).TrainingModule];
  host = await startTestHost({
    modules,
    databaseUrl: params.databaseUrl,
    transport: 'kafka',
    kafkaBrokers: params.kafkaBrokers,
    clientId: params.clientId,
  });
  return { baseUrl: host.baseUrl };
}

serveParent({ start }, async () => {
  await host?.close();
});
