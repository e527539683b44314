import { Injectable } from '@nestjs/common';
import { BRAND_TOPIC, BureauRegisteredV1, currentSchemaVersion } from '@skills/contracts';
import { CommandPipeline, integrationMessage, mustNotExist } from '@skills/event-sourcing';
import { randomUUID } from 'node:crypto';
import { bureauAggregate, bureauStreamId } from '../bureau.aggregate';
import { RegisterBureauDto } from './register-bureau.dto';

@Injectable()
export class RegisterBureauHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(body: RegisterBureauDto): Promise<{ id: string }> {
    const bureauId = randomUUID();
    await this.commands.handle({
      stream: mustNotExist(bureauStreamId(bureauId)),
      aggregate: bureauAggregate,
      command: { type: 'RegisterBureau', bureau: { bureauId, name: body.name, regionCode: body.regionCode } },
      claims: [
        {
          table: 'bureau_claims',
          key: { region_code: body.regionCode },
          holder: { column: 'bureau_id', id: bureauId },
          rule: 'bureau_region_registered',
          detail: `a bureau of region ${body.regionCode} is already registered`,
        },
      ],
      // Identity learns the bureau's region from this: its officers' tokens carry it (domain.md section 9, "its region").
      integrationEvents: ([registered]) => [
        integrationMessage<BureauRegisteredV1>(
          BRAND_TOPIC,
          bureauId,
          registered,
          'BureauRegistered',
          { bureauId, name: registered.data.name, regionCode: registered.data.regionCode },
          registered.recordedAt,
          currentSchemaVersion('BureauRegistered'),
        ),
      ],
    });
    return { id: bureauId };
  }
}
