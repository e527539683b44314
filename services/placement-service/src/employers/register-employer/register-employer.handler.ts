import { Injectable } from '@nestjs/common';
import { EmployerRegisteredV1, PLACEMENT_TOPIC } from '@skills/contracts';
import { CommandHandler, Database, integrationMessage, isUniqueViolation } from '@skills/event-sourcing';
import { ConflictProblem, currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { employerAggregate, employerStreamId } from '../employer.aggregate';
import { RegisterEmployerDto } from './register-employer.dto';

@Injectable()
export class RegisterEmployerHandler {
  constructor(
    private readonly commands: CommandHandler,
    private readonly database: Database,
  ) {}

  async execute(body: RegisterEmployerDto): Promise<{ id: string }> {
    const employerId = randomUUID();
    const creditCode = body.creditCode.toUpperCase();
    try {
      await this.commands.handle({
        streamId: employerStreamId(employerId),
        aggregate: employerAggregate,
        command: { type: 'RegisterEmployer', employer: { employerId, ...body, creditCode } },
        metadata: currentCorrelation(),
        inTransaction: async (tx) => {
          await tx.query('INSERT INTO employer_claims (credit_code, employer_id) VALUES ($1, $2)', [creditCode, employerId]);
        },
        integrationEvents: ([registered]) => {
          const payload: EmployerRegisteredV1 = registered.data;
          return [integrationMessage(PLACEMENT_TOPIC, employerId, registered, registered.type, payload, registered.recordedAt)];
        },
      });
      return { id: employerId };
    } catch (error) {
      if (!isUniqueViolation(error, 'employer_claims_pkey')) throw error;
      const { rows } = await this.database.query<{ employer_id: string }>('SELECT employer_id FROM employer_claims WHERE credit_code = $1', [creditCode]);
      throw new ConflictProblem('credit_code_registered', `an employer with credit code ${creditCode} is already registered`, { existingId: rows[0]?.employer_id });
    }
  }
}
