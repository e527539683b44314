export * from './trainee-ages';
