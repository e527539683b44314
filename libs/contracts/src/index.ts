export * from './envelope';
export * from './trainee-events';
export * from './training-events';
export * from './upcasters';
export * from './certification-events';
export * from './placement-events';
export * from './http-resources';
export * from './identity';
