import { Provider, Type } from '@nestjs/common';
import { TRAINEE_REPLICA_CONSUMER, TRAINEE_VOIDED_FOLLOW_UP, TraineeReplicaConsumer, TraineeVoidedFollowUp } from './trainee-replica.consumer';
import { TraineeReplica } from './trainee-replica';

export { parkedTraineeRefusal, TraineeReplica, type KnownTrainee } from './trainee-replica';
export { TraineeReplicaConsumer, type TraineeVoidedFollowUp } from './trainee-replica.consumer';
export { TraineeReplicaForgotten, TraineeReplicaSchema, TraineeReplicaWorkingAge } from './trainee-replica.schema';

/**
 * What a service module adds to keep and read the replica: spread `controllers` and `providers` into
 * its @Module, and list TraineeReplicaSchema, TraineeReplicaWorkingAge and TraineeReplicaForgotten among its migrations. The inbox name is `<service>.known-trainees`.
 * `onVoided`: what the service records when it learns of a void, with the replica's change (TraineeVoidedFollowUp).
 */
export function traineeReplicaFor(service: string, options: { onVoided?: Type<TraineeVoidedFollowUp> } = {}): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [TraineeReplicaConsumer],
    providers: [
      TraineeReplica,
      { provide: TRAINEE_REPLICA_CONSUMER, useValue: `${service}.known-trainees` },
      ...(options.onVoided ? [{ provide: TRAINEE_VOIDED_FOLLOW_UP, useClass: options.onVoided }] : []),
    ],
  };
}
