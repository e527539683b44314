export * from './placement.module';
