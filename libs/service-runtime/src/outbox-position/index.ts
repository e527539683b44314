export * from './outbox-position';
export * from './outbox-position.controller';
