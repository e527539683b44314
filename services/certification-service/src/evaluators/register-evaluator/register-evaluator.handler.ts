import { Injectable } from '@nestjs/common';
import { CERTIFICATION_TOPIC, EvaluatorRegisteredV1 } from '@skills/contracts';
import { evaluatorCodeFor } from '@skills/domain-kernel';
import { CommandHandler, Database, integrationMessage, isUniqueViolation } from '@skills/event-sourcing';
import { ConflictProblem, currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { evaluatorAggregate, evaluatorStreamId } from '../evaluator.aggregate';
import { RegisterEvaluatorDto } from './register-evaluator.dto';

@Injectable()
export class RegisterEvaluatorHandler {
  constructor(
    private readonly commands: CommandHandler,
    private readonly database: Database,
  ) {}

  async execute(body: RegisterEvaluatorDto): Promise<{ id: string }> {
    const evaluatorId = randomUUID();
    const creditCode = body.creditCode.toUpperCase();
    // A refused registration leaves a gap in the codes, never a duplicate.
    const { rows } = await this.database.query<{ sequence: string }>(`SELECT nextval('evaluator_code_sequence') AS sequence`);
    const evaluatorCode = evaluatorCodeFor(Number(rows[0].sequence));
    try {
      await this.commands.handle({
        streamId: evaluatorStreamId(evaluatorId),
        aggregate: evaluatorAggregate,
        command: { type: 'RegisterEvaluator', evaluator: { evaluatorId, ...body, creditCode, evaluatorCode } },
        metadata: currentCorrelation(),
        inTransaction: async (tx) => {
          await tx.query('INSERT INTO evaluator_claims (credit_code, evaluator_id) VALUES ($1, $2)', [creditCode, evaluatorId]);
        },
        integrationEvents: ([registered]) => {
          const payload: EvaluatorRegisteredV1 = registered.data;
          return [integrationMessage(CERTIFICATION_TOPIC, evaluatorId, registered, registered.type, payload, registered.recordedAt)];
        },
      });
      return { id: evaluatorId };
    } catch (error) {
      if (!isUniqueViolation(error, 'evaluator_claims_pkey')) throw error;
      const { rows: existing } = await this.database.query<{ evaluator_id: string }>('SELECT evaluator_id FROM evaluator_claims WHERE credit_code = $1', [creditCode]);
      throw new ConflictProblem('credit_code_registered', `an evaluator with credit code ${creditCode} is already registered`, { existingId: existing[0]?.evaluator_id });
    }
  }
}
