export * from './catch-up';
