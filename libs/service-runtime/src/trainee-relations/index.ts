import { Provider, Type } from '@nestjs/common';
import { TraineeRelationsConsumer } from './trainee-relations.consumer';
import { TRAINEE_RELATIONS_CONSUMER, TraineeRelationsConsumerOptions } from './trainee-relations.options';
import { TraineeRelations } from './trainee-relations';

export { mayRead, type Reader } from './may-read';
export { relateAll, relateStatement, type TraineeRelation, type TraineeRelationVoided } from './relating-facts';
export { relatedOrganisationOf, RELATING_FACTS, TraineeRelations } from './trainee-relations';
export { TraineeRelationsConsumer } from './trainee-relations.consumer';
export { TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from './trainee-relations.schema';

/**
 * What a service module adds to judge reads of a trainee by their relations: spread `controllers` and
 * `providers` into its @Module, and list TraineeRelationsSchema, TraineeRelationsByCertificates and
 * TraineeRelationsByFacts among its migrations (as the replica's schema is). The inbox name is
 * `<service>.trainee-relations`. `relatedWithTheFact`: the fact types the service's own commands relate in
 * the fact's own transaction (their messages are then not consumed here).
 */
export function traineeRelationsFor(service: string, { relatedWithTheFact }: { relatedWithTheFact?: readonly string[] } = {}): { controllers: Type[]; providers: Provider[] } {
  const options: TraineeRelationsConsumerOptions = { inbox: `${service}.trainee-relations`, relatedWithTheFact };
  return {
    controllers: [TraineeRelationsConsumer],
    providers: [TraineeRelations, { provide: TRAINEE_RELATIONS_CONSUMER, useValue: options }],
  };
}
