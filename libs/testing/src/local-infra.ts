// The test infrastructure's two ways around Nx's project graph, kept in one place:
// - the embedded Postgres helper is imported by path rather than as @skills/event-sourcing because
//   Jest loads the global setup outside its module registry, where the @skills/* aliases do not resolve;
// - tools/kafka is plain JavaScript outside every project, so that it runs before anything is compiled.
// eslint-disable-next-line @nx/enforce-module-boundaries
export { startEmbeddedPostgres, type EmbeddedPostgres } from '../../postgres/src/embedded-postgres';
// eslint-disable-next-line @nx/enforce-module-boundaries
export { fetchKafka, startBroker, type KafkaBroker, type StartBrokerOptions } from '../../../tools/kafka/kafka';
