import { runStandalone } from '@skills/service-runtime';
import { IdentityModule } from './identity.module';

/** identity-service on its own: users, tokens, keys; its database, Kafka, its own consumer group. */
runStandalone({ title: 'identity-service', clientId: 'identity-service', modules: [IdentityModule], defaultPort: 3006 });
