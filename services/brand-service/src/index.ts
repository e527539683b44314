export * from './brand.module';
