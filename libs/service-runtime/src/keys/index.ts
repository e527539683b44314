export * from './master-key-check';
