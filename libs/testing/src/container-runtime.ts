// What the Jest global setup runs Postgres and Kafka on. A container runtime (a Docker engine, or
// anything that answers its API) is found the way testcontainers itself finds one, so "an engine
// answers" here means testcontainers can start containers. Where one answers, both run in containers;
// otherwise the embedded Postgres and a local broker (Java) do. DATABASE_URL and KAFKA_BROKERS, when
// set, come before either.
//
// Only relative imports here: the global setup loads this outside Jest's module registry.

export interface ContainerRuntimeDetection {
  available: boolean;
  /** Why not, when not available (for the setup's summary line and KAFKA_UNAVAILABLE). */
  reason?: string;
}

export interface DetectionOptions {
  /** Give up after this long: an engine that accepts connections but never answers must not hang the run. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Asks testcontainers for a container runtime: its strategies in turn (TESTCONTAINERS_HOST_OVERRIDE and
 * `tc.host`, DOCKER_HOST and `docker.host` from the environment or ~/.testcontainers.properties, the
 * Docker sockets), each asked for the engine's `/info`. `getContainerRuntimeClient()` throws when none
 * answers. The client is kept by testcontainers, so the containers started afterwards use the same one.
 */
export async function detectContainerRuntime({ timeoutMs = DEFAULT_TIMEOUT_MS }: DetectionOptions = {}): Promise<ContainerRuntimeDetection> {
  const probe = async (): Promise<ContainerRuntimeDetection> => {
    let testcontainers: typeof import('testcontainers');
    try {
      testcontainers = await import('testcontainers');
    } catch (error) {
      return { available: false, reason: `testcontainers does not load on Node ${process.version}: ${messageOf(error)}` };
    }
    try {
      await testcontainers.getContainerRuntimeClient();
      return { available: true };
    } catch (error) {
      return { available: false, reason: `no container runtime (${messageOf(error)})` };
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ContainerRuntimeDetection>((resolve) => {
    timer = setTimeout(() => resolve({ available: false, reason: `no container runtime answered within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([probe(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether testcontainers finds a container runtime that answers (within the time given). */
export async function containerRuntimeAvailable(options?: DetectionOptions): Promise<boolean> {
  return (await detectContainerRuntime(options)).available;
}

/** Where the run's Postgres comes from. */
export type PostgresSource = 'DATABASE_URL' | 'container' | 'embedded';
/** Where the run's Kafka comes from. */
export type KafkaSource = 'KAFKA_BROKERS' | 'container' | 'local broker';

export interface InfrastructureChoice {
  /** The ways to provide Postgres, in the order to try them; the first that starts is used. Never empty. */
  postgres: PostgresSource[];
  /** The same for Kafka; empty when there is no way (the Kafka suites then skip, or fail under CI). */
  kafka: KafkaSource[];
  /** Why a way to Kafka was left out, e.g. `no java`. */
  kafkaLeftOut: string[];
}

export interface InfrastructureFacts {
  env: Record<string, string | undefined>;
  runtimeAvailable: boolean;
  javaAvailable: boolean;
  /** Why the runtime is not available, when it is not (defaults to `no container runtime`). */
  runtimeReason?: string;
}

/**
 * The choice, pure: what the environment names wins; then a container where a runtime answers, with
 * the embedded Postgres and the local broker as the fall-backs should a container fail to start.
 */
export function chooseInfrastructure({ env, runtimeAvailable, javaAvailable, runtimeReason }: InfrastructureFacts): InfrastructureChoice {
  const postgres: PostgresSource[] = env.DATABASE_URL ? ['DATABASE_URL'] : runtimeAvailable ? ['container', 'embedded'] : ['embedded'];
  if (env.KAFKA_BROKERS) return { postgres, kafka: ['KAFKA_BROKERS'], kafkaLeftOut: [] };
  const kafka: KafkaSource[] = [];
  const kafkaLeftOut: string[] = [];
  if (runtimeAvailable) kafka.push('container');
  else kafkaLeftOut.push(runtimeReason ?? 'no container runtime');
  if (javaAvailable) kafka.push('local broker');
  else kafkaLeftOut.push('no java');
  return { postgres, kafka, kafkaLeftOut };
}
