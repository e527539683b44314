// Child process: a service host on Kafka, as deployed: its own process, database and consumer group.
// One service (the replica latency), or several in one process (the round trips, which also count
// every query of each service's pool here).
import { ServiceRegistry } from '@skills/service-runtime';
import { startTestHost, TestHost } from '@skills/testing';
import { Type } from '@nestjs/common';
import { countRoundTrips, takeRoundTrips } from '../round-trips/counter';
import { serveParent } from '../support/child';

let host: TestHost | undefined;

export type ServiceName = 'trainee' | 'training' | 'certification' | 'placement';

interface StartParams {
  services: ServiceName[];
  databaseUrl: string;
  kafkaBrokers: string[];
  clientId: string;
  /** Record the queries of requests whose X-Correlation-Id starts with this (see takeRoundTrips). */
  countRoundTripsOf?: string;
}

/** Imported on demand, so each process loads only its own services. */
async function moduleOf(service: ServiceName): Promise<Type> {
  switch (service) {
    case 'trainee':
      return (await import('@skills/trainee-service')).TraineeModule;
    case 'training':
      return (await import('@skills/training-service')).TrainingModule;
    case 'certification':
      return (await import('@skills/certification-service')).CertificationModule;
    case 'placement':
      return (await import('@skills/placement-service')).PlacementModule;
  }
}

async function start(params: StartParams): Promise<{ baseUrl: string }> {
  const modules = await Promise.all(params.services.map(moduleOf));
  host = await startTestHost({
    modules,
    databaseUrl: params.databaseUrl,
    transport: 'kafka',
    kafkaBrokers: params.kafkaBrokers,
    clientId: params.clientId,
    // One user from one address sends every command: the per-minute limits (15,000 a user) would answer 429
    // in the max-rate runs (400/s for 24 s), and a rate would fail on the limiter, not on the pipeline.
    settings: { RATE_LIMIT_PER_USER_PER_MINUTE: '10000000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000000' },
  });
  if (params.countRoundTripsOf) countRoundTrips(host.app.get(ServiceRegistry), params.countRoundTripsOf);
  return { baseUrl: host.baseUrl };
}

serveParent(
  {
    start,
    roundTrips: async ({ correlationId }: { correlationId: string }) => takeRoundTrips(correlationId),
  },
  async () => {
    await host?.close();
  },
);
