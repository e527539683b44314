import { Injectable } from '@nestjs/common';
import { Caller, EmployerRegisteredV1, PLACEMENT_TOPIC } from '@skills/contracts';
import { CommandPipeline, integrationMessage, mustNotExist } from '@skills/event-sourcing';
import { creditCodeClaim } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { employerAggregate, employerStreamId } from '../employer.aggregate';
import { RegisterEmployerDto } from './register-employer.dto';

@Injectable()
export class RegisterEmployerHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(body: RegisterEmployerDto, caller: Caller): Promise<{ id: string }> {
    const employerId = randomUUID();
    const creditCode = body.creditCode.toUpperCase();
    await this.commands.handle({
      stream: mustNotExist(employerStreamId(employerId)),
      aggregate: employerAggregate,
      command: { type: 'RegisterEmployer', employer: { employerId, ...body, creditCode }, by: caller },
      claims: [creditCodeClaim('employer', creditCode, employerId)],
      integrationEvents: ([registered]) => {
        const payload: EmployerRegisteredV1 = registered.data;
        return [integrationMessage(PLACEMENT_TOPIC, employerId, registered, registered.type, payload, registered.recordedAt)];
      },
    });
    return { id: employerId };
  }
}
