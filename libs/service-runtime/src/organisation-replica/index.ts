import { Provider, Type } from '@nestjs/common';
import { ORGANISATION_REPLICA_CONSUMER, OrganisationReplicaConsumer } from './organisation-replica.consumer';
import { OrganisationReplica } from './organisation-replica';

export { OrganisationReplica, type KnownOrganisation } from './organisation-replica';
export { OrganisationReplicaConsumer, registeredOrganisationOf } from './organisation-replica.consumer';
export { OrganisationReplicaSchema } from './organisation-replica.schema';

/**
 * What a service module adds to keep and read the organisations it knows of: spread `controllers` and
 * `providers` into its @Module, and list OrganisationReplicaSchema among its migrations. The inbox name
 * is `<service>.organisations`.
 */
export function organisationReplicaFor(service: string): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [OrganisationReplicaConsumer],
    providers: [OrganisationReplica, { provide: ORGANISATION_REPLICA_CONSUMER, useValue: `${service}.organisations` }],
  };
}
