import { Injectable } from '@nestjs/common';
import { currentSchemaVersion, ProviderRegisteredV1, TRAINING_TOPIC } from '@skills/contracts';
import { CommandHandler, Database, integrationMessage, isUniqueViolation } from '@skills/event-sourcing';
import { ConflictProblem, currentCorrelation } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { providerAggregate, providerStreamId } from '../provider.aggregate';
import { RegisterProviderDto } from './register-provider.dto';

@Injectable()
export class RegisterProviderHandler {
  constructor(
    private readonly commands: CommandHandler,
    private readonly database: Database,
  ) {}

  async execute(body: RegisterProviderDto): Promise<{ id: string }> {
    const providerId = randomUUID();
    const creditCode = body.creditCode.toUpperCase();
    try {
      await this.commands.handle({
        streamId: providerStreamId(providerId),
        aggregate: providerAggregate,
        command: { type: 'RegisterProvider', providerId, ...body, creditCode },
        metadata: currentCorrelation(),
        inTransaction: async (tx) => {
          await tx.query('INSERT INTO provider_claims (credit_code, provider_id) VALUES ($1, $2)', [creditCode, providerId]);
        },
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
    } catch (error) {
      if (!isUniqueViolation(error, 'provider_claims_pkey')) throw error;
      const { rows } = await this.database.query<{ provider_id: string }>('SELECT provider_id FROM provider_claims WHERE credit_code = $1', [creditCode]);
      throw new ConflictProblem('credit_code_registered', `a provider with credit code ${creditCode} is already registered`, { existingId: rows[0]?.provider_id });
    }
  }
}
