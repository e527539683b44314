import { runStandalone } from '@skills/service-runtime';
import { TrainingModule } from './training.module';

/** training-service on its own: its database, Kafka, its own consumer group. */
runStandalone({ title: 'training-service', clientId: 'training-service', modules: [TrainingModule], defaultPort: 3002 });
