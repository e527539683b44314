import { Injectable } from '@nestjs/common';
import { Caller, CERTIFICATION_TOPIC, EvaluatorRegisteredV1 } from '@skills/contracts';
import { evaluatorCodeFor } from '@skills/domain-kernel';
import { CommandPipeline, integrationMessage, mustNotExist } from '@skills/event-sourcing';
import { creditCodeClaim } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { evaluatorAggregate, evaluatorStreamId, RegisterEvaluator } from '../evaluator.aggregate';
import { RegisterEvaluatorDto } from './register-evaluator.dto';

@Injectable()
export class RegisterEvaluatorHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(body: RegisterEvaluatorDto, caller: Caller): Promise<{ id: string }> {
    const evaluatorId = randomUUID();
    const creditCode = body.creditCode.toUpperCase();
    await this.commands.handle({
      stream: mustNotExist(evaluatorStreamId(evaluatorId)),
      aggregate: evaluatorAggregate,
      // A sequence is not transactional: a refused registration leaves a gap in the codes, never a duplicate.
      command: async (_state, tx): Promise<RegisterEvaluator> => {
        const { rows } = await tx.query<{ sequence: string }>(`SELECT nextval('evaluator_code_sequence') AS sequence`);
        return { type: 'RegisterEvaluator', evaluator: { evaluatorId, ...body, creditCode, evaluatorCode: evaluatorCodeFor(Number(rows[0].sequence)) }, by: caller };
      },
      claims: [creditCodeClaim('evaluator', creditCode, evaluatorId)],
      integrationEvents: ([registered]) => {
        const payload: EvaluatorRegisteredV1 = registered.data;
        return [integrationMessage(CERTIFICATION_TOPIC, evaluatorId, registered, registered.type, payload, registered.recordedAt)];
      },
    });
    return { id: evaluatorId };
  }
}
