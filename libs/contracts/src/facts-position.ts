/**
 * How far the facts of other contexts had reached when a decision was taken (the catch-up barrier,
 * CatchUp in service-runtime): per topic, per partition the end offset on Kafka, or `outbox` → the
 * source outbox's last message id in one process. A decision's event records it as `basedOnFacts`.
 */
export type FactsPosition = Record<string, Record<string, number>>;
