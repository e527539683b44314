import { runStandalone } from '@skills/service-runtime';
import { PlacementModule } from './placement.module';

/** placement-service on its own: its database, Kafka, its own consumer group. */
runStandalone({ title: 'placement-service', clientId: 'placement-service', modules: [PlacementModule], defaultPort: 3004 });
