export * from './dead-letters';
export * from './in-process-transport';
export * from './kafka-publisher';
export * from './message-consumer';
export * from './messaging.module';
export * from './topics';
export * from './correlation';
