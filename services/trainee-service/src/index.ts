export * from './trainee.module';
