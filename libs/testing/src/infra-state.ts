// What the Jest global setup started, kept on globalThis: Jest runs globalSetup and globalTeardown in
// the same process, but loads each as a separate module, so a module-level variable would not do.
import type { EmbeddedPostgres, KafkaBroker } from './local-infra';

export interface TestInfra {
  postgres?: EmbeddedPostgres;
  kafkaBroker?: KafkaBroker;
  /** Containers (testcontainers), where a container runtime answered. */
  postgresContainer?: { stop(): Promise<unknown> };
  kafkaContainer?: { stop(): Promise<unknown> };
  /** Variables the setup put into process.env, removed again on teardown (watch mode reruns setup). */
  setEnv: string[];
}

const KEY = '__skillsLadderTestInfra__';

/** The environment variable naming this test run (one per Jest run, seen by every worker). */
export const TEST_RUN_ENV = 'SKILLS_TEST_RUN';

export function testInfra(): TestInfra {
  const holder = globalThis as unknown as Record<string, TestInfra | undefined>;
  return (holder[KEY] ??= { setEnv: [] });
}
