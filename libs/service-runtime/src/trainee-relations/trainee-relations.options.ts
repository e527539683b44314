/** How a service keeps its trainee relations (traineeRelationsFor): read by the consumer and by TraineeRelations. */
export const TRAINEE_RELATIONS_CONSUMER = Symbol('TRAINEE_RELATIONS_CONSUMER');

export interface TraineeRelationsConsumerOptions {
  /** The consumer's inbox name. */
  inbox: string;
  /**
   * The fact types the service's own commands relate in the fact's own transaction (trainee-service's
   * TraineeRegistered): such a message comes back to a relation already there, and claiming it would cost
   * an inbox row per fact for nothing. Any other type is consumed.
   */
  relatedWithTheFact?: readonly string[];
  /**
   * Whether the service knows every fact relating its pairs (trainee-service, from its own log:
   * TraineeRelatingFactsFromTheLog) and announces each pair a void takes back (TraineeUnrelated), for the
   * services that do not know the facts of their relations made before they kept them. Such a service
   * applies no TraineeUnrelated itself: its own come back to a pair already gone.
   */
  announceUnrelated?: boolean;
}
