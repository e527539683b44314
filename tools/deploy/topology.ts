// The distributed deployment, said once: which services run, on which ports, with which database and
// environment, which API resources the gateway routes to each, and how their one Dockerfile builds each
// image. docker-compose.yml, k8s/ and the process launcher are checked against this (or built from it),
// so they cannot drift apart.
import { PATH_OWNERS, RESOURCE_OWNERS, serviceUrlVariable as urlVariableOf, TOPICS } from '@skills/contracts';

export interface ServiceSpec {
  /** Process, container and Kubernetes name. */
  name: string;
  /** Entry point, relative to the repository root. */
  main: string;
  port: number;
  /** Its own database (a database per service on one Postgres). */
  database: string;
  /** Secrets it needs beyond the common environment (names only; values come from the deployment). */
  secrets: string[];
}

/** The service that issues access tokens; every other one verifies them with its keys (/.well-known/jwks.json). */
export const IDENTITY_SERVICE: ServiceSpec = {
  name: 'identity-service',
  main: 'services/identity-service/src/main.ts',
  port: 3006,
  database: 'identity',
  // The first admin's password (without it, a generated one is written to ADMIN_PASSWORD_FILE).
  secrets: ['ADMIN_PASSWORD', 'INTERNAL_API_SECRET'],
};

/**
 * The real-name registry. It alone holds birth dates, so a rule of another service that needs an age
 * (certification: a certificate before birth; placement: a hire of someone under 16 that day), and whether
 * a registration still stands, asks it over HTTP (TRAINEE_SERVICE_URL), proving itself with
 * INTERNAL_API_SECRET (TraineeAges).
 *
 * INTERNAL_API_SECRET is every service's: each answers, and asks the others, how far an outbox has
 * published (OutboxPositionController), for the catch-up barrier (CatchUp) of a decision on their facts.
 */
export const TRAINEE_SERVICE: ServiceSpec = {
  name: 'trainee-service',
  main: 'services/trainee-service/src/main.ts',
  port: 3001,
  database: 'trainee',
  secrets: ['IDENTITY_HASH_KEY', 'PERSONAL_DATA_KEY', 'INTERNAL_API_SECRET'],
};

export const SERVICES: ServiceSpec[] = [
  TRAINEE_SERVICE,
  { name: 'training-service', main: 'services/training-service/src/main.ts', port: 3002, database: 'training', secrets: ['INTERNAL_API_SECRET'] },
  { name: 'certification-service', main: 'services/certification-service/src/main.ts', port: 3003, database: 'certification', secrets: ['PERSONAL_DATA_KEY', 'INTERNAL_API_SECRET'] },
  { name: 'placement-service', main: 'services/placement-service/src/main.ts', port: 3004, database: 'placement', secrets: ['INTERNAL_API_SECRET'] },
  { name: 'brand-service', main: 'services/brand-service/src/main.ts', port: 3005, database: 'brand', secrets: ['INTERNAL_API_SECRET'] },
  IDENTITY_SERVICE,
];

/** Every resource of the contract is owned by exactly one service of the topology. */
export const resourcesOf = (service: string) => Object.entries(RESOURCE_OWNERS).filter(([, owner]) => owner === service).map(([resource]) => resource);

/** The paths outside /api/v1/ the gateway routes to a service, by prefix (/oauth/, /.well-known/, /admin/identity/). */
export const pathPrefixesOf = (service: string) => Object.entries(PATH_OWNERS).filter(([, owner]) => owner === service).map(([prefix]) => prefix);

export const GATEWAY = { name: 'gateway', main: 'services/gateway/src/main.ts', port: 3000 };

export const KAFKA_TOPICS = Object.values(TOPICS);

/** The one image recipe, at the repository root (also the build context): every service and the gateway. */
export const DOCKERFILE = 'Dockerfile';

/** What the Dockerfile is told to build: the project under services/ and the port it listens on. */
export const imageBuildArgs = (workload: { name: string; port: number }): { SERVICE: string; PORT: string } => ({ SERVICE: workload.name, PORT: String(workload.port) });

/** The image a workload runs, as docker-compose.yml builds it and k8s/ names it. */
export const imageName = (workload: { name: string }) => `skills-ladder/${workload.name}`;

/** How to build that image by hand, from the repository root. */
export const imageBuildCommand = (workload: { name: string; port: number }) =>
  `docker build -f ${DOCKERFILE} ${Object.entries(imageBuildArgs(workload))
    .map(([name, value]) => `--build-arg ${name}=${value}`)
    .join(' ')} -t ${imageName(workload)} .`;

/**
 * The environment every service process gets (names; values per deployment). PUBLIC_ORIGIN is the
 * gateway's public origin, the issuer every process names in and expects of access tokens; and, as the
 * gateway, every service's URL (<SERVICE>_URL): IDENTITY_SERVICE_URL is where a service fetches
 * identity-service's keys, TRAINEE_SERVICE_URL where it asks trainee-service a person's age on a date, and
 * each is where the catch-up barrier asks that service how far its outbox has published (CatchUp).
 */
export const SERVICE_ENVIRONMENT: readonly string[] = ['PORT', 'TRANSPORT', 'KAFKA_BROKERS', 'DATABASE_URL', 'REPLICA_WAIT_MS', 'LOG_LEVEL', 'PUBLIC_ORIGIN', ...SERVICES.map((service) => urlVariableOf(service.name))];

/** How the gateway finds a service (one naming rule, in libs/contracts, shared with the gateway). */
export const serviceUrlVariable = (service: ServiceSpec) => urlVariableOf(service.name);

/** A service's URL inside a deployment whose workloads reach each other by name (compose network, Kubernetes Service). */
export const serviceUrl = (service: ServiceSpec) => `http://${service.name}:${service.port}`;

/** Where a service process finds Kafka, Postgres and the other services, and what the public origin is. */
export interface ServiceSurroundings {
  kafkaBrokers: string;
  /** The Postgres server; the service's database is appended. */
  postgres: string;
  /** The gateway's origin as clients see it: the name of the token issuer. */
  publicOrigin: string;
  /** A service's base URL as the other services reach it. */
  urlOf: (service: ServiceSpec) => string;
}

/** The environment of one service process, given where Kafka, Postgres and the other services are. */
export function serviceEnvironment(service: ServiceSpec, where: ServiceSurroundings): Record<string, string> {
  return {
    PORT: String(service.port),
    TRANSPORT: 'kafka',
    KAFKA_BROKERS: where.kafkaBrokers,
    DATABASE_URL: `${where.postgres.replace(/\/$/, '')}/${service.database}`,
    REPLICA_WAIT_MS: '5000',
    LOG_LEVEL: 'info',
    PUBLIC_ORIGIN: where.publicOrigin,
    ...Object.fromEntries(SERVICES.map((each) => [serviceUrlVariable(each), where.urlOf(each)])),
  };
}
