export * from './database';
export * from './embedded-postgres';
export * from './find-free-port';
export * from './migrations';
export * from './notifications';
export * from './transactions';
export * from './statements';
