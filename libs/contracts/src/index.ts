export * from './envelope';
export * from './trainee-events';
export * from './training-events';
export * from './upcasters';
