import { Provider, Type } from '@nestjs/common';
import { TraineeRelationsConsumer } from './trainee-relations.consumer';
import { TRAINEE_RELATIONS_CONSUMER, TraineeRelationsConsumerOptions } from './trainee-relations.options';
import { TraineeRelations } from './trainee-relations';

export { mayRead, type Reader } from './may-read';
export { relateAll, relateStatement, takeBackUnrelated, type TraineeRelation, type TraineeRelationVoided, type TraineeUnrelated } from './relating-facts';
export { relatedOrganisationOf, RELATING_FACTS, TraineeRelations } from './trainee-relations';
export { TraineeRelationsConsumer } from './trainee-relations.consumer';
export { TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from './trainee-relations.schema';

/**
 * What a service module adds to judge reads of a trainee by their relations: spread `controllers` and
 * `providers` into its @Module, and list TraineeRelationsSchema, TraineeRelationsByCertificates and
 * TraineeRelationsByFacts among its migrations (as the replica's schema is). The inbox name is
 * `<service>.trainee-relations`. `relatedWithTheFact`: the fact types the service's own commands relate in
 * the fact's own transaction (their messages are then not consumed here). `announceUnrelated`: the service
 * knows every fact of its relations and announces each pair a void takes back (TraineeRelationsConsumerOptions).
 */
export function traineeRelationsFor(
  service: string,
  { relatedWithTheFact, announceUnrelated }: { relatedWithTheFact?: readonly string[]; announceUnrelated?: boolean } = {},
): { controllers: Type[]; providers: Provider[] } {
  const options: TraineeRelationsConsumerOptions = { inbox: `${service}.trainee-relations`, relatedWithTheFact, announceUnrelated };
  return {
    controllers: [TraineeRelationsConsumer],
    providers: [TraineeRelations, { provide: TRAINEE_RELATIONS_CONSUMER, useValue: options }],
  };
}
