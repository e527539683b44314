import { runStandalone } from '@skills/service-runtime';
import { PlacementModule } from './placement.module';

/** placement-service on its own: its database, Kafka, its own consumer group. */
runStandalone({
  title: 'placement-service',
  clientId: 'placement-service',
  modules: [PlacementModule],
  defaultPort: 3004,
  requires: [{ name: 'TRAINEE_SERVICE_URL', why: "trainee-service's base URL: a hire asks it the person's age on the start date and whether the registration still stands; without it those rules would judge nothing" }],
});
