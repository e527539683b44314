export * from './trainee-names';
