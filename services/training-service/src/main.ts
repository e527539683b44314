import { runStandalone } from '@skills/service-runtime';
import { TrainingModule } from './training.module';

/** training-service on its own: its database, Kafka, its own consumer group. */
runStandalone({
  title: 'training-service',
  clientId: 'training-service',
  modules: [TrainingModule],
  defaultPort: 3002,
  requires: [{ name: 'TRAINEE_SERVICE_URL', why: "trainee-service's base URL: an enrolment given a date, and each imported row that enrols on a date, asks it the trainee's age that day; without it those rules would judge nothing" }],
});
