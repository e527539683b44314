import { runStandalone } from '@skills/service-runtime';
import { CertificationModule } from './certification.module';

/** certification-service on its own: its database, Kafka, its own consumer group. */
runStandalone({
  title: 'certification-service',
  clientId: 'certification-service',
  modules: [CertificationModule],
  defaultPort: 3003,
  requires: [{ name: 'TRAINEE_SERVICE_URL', why: "trainee-service's base URL: a certification asks it the holder's age on its date and whether the registration still stands, and a verification by name whether the name is the holder's; without it those rules would judge nothing" }],
});
