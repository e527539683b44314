import { runStandalone } from '@skills/service-runtime';
import { TraineeModule } from './trainee.module';

/** trainee-service on its own: its database, Kafka, its own consumer group. */
runStandalone({ title: 'trainee-service', clientId: 'trainee-service', modules: [TraineeModule], defaultPort: 3001 });
