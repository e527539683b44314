import { Injectable } from '@nestjs/common';
import { Caller, currentSchemaVersion, ProviderRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { CommandPipeline, integrationMessage, mustNotExist } from '@skills/event-sourcing';
import { creditCodeClaim } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { providerAggregate, providerStreamId } from '../provider.aggregate';
import { RegisterProviderDto } from './register-provider.dto';

@Injectable()
export class RegisterProviderHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(body: RegisterProviderDto, caller: Caller): Promise<{ id: string }> {
    const providerId = randomUUID();
    const creditCode = body.creditCode.toUpperCase();
    await this.commands.handle({
      stream: mustNotExist(providerStreamId(providerId)),
      aggregate: providerAggregate,
      command: { type: 'RegisterProvider', providerId, ...body, creditCode, by: caller },
      claims: [creditCodeClaim('provider', creditCode, providerId)],
      // A registration has no business date of its own: it happens when it is recorded.
      integrationEvents: ([registered]) => [
        integrationMessage<ProviderRegisteredV1>(
          TRAINING_TOPIC,
          providerId,
          registered,
          'ProviderRegistered',
          { providerId, name: registered.data.name, creditCode: registered.data.creditCode, regionCode: registered.data.regionCode },
          registered.recordedAt,
          currentSchemaVersion('ProviderRegistered'),
        ),
      ],
    });
    return { id: providerId };
  }
}
