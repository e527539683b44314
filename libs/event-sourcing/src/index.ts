export * from './audit-trail';
export * from './command-pipeline';
export * from './event-store';
export * from './event-store.schema';
export * from './outbox';
export * from './parked-events';
export * from './projections';
export * from './dry-run';
