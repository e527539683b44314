import { Provider, Type } from '@nestjs/common';
import { TRAINEE_RELATIONS_CONSUMER, TraineeRelationsConsumer } from './trainee-relations.consumer';
import { TraineeRelations } from './trainee-relations';

export { mayRead, type Reader } from './may-read';
export { relate, relateAll, relatedOrganisationOf, relateStatement, TraineeRelations } from './trainee-relations';
export { TraineeRelationsConsumer } from './trainee-relations.consumer';
export { TraineeRelationsSchema } from './trainee-relations.schema';

/**
 * What a service module adds to judge reads of a trainee by their relations: spread `controllers` and
 * `providers` into its @Module, and list TraineeRelationsSchema among its migrations (as the replica's
 * schema is). The inbox name is `<service>.trainee-relations`.
 */
export function traineeRelationsFor(service: string): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [TraineeRelationsConsumer],
    providers: [TraineeRelations, { provide: TRAINEE_RELATIONS_CONSUMER, useValue: `${service}.trainee-relations` }],
  };
}
