import { runStandalone } from '@skills/service-runtime';
import { BrandModule } from './brand.module';

/** brand-service on its own: its database, Kafka, its own consumer group. */
runStandalone({ title: 'brand-service', clientId: 'brand-service', modules: [BrandModule], defaultPort: 3005 });
