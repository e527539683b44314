import { runStandalone } from '@skills/service-runtime';
import { CertificationModule } from './certification.module';

/** certification-service on its own: its database, Kafka, its own consumer group. */
runStandalone({ title: 'certification-service', clientId: 'certification-service', modules: [CertificationModule], defaultPort: 3003 });
