import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CLOCK } from '@skills/service-runtime';
import { Totps } from '../totps';
import { userAggregate, userStreamId } from '../user.aggregate';
import { ConfirmTotpDto } from './confirm-totp.dto';

/** The first valid code confirms the second factor; that code's time step counts as used. */
@Injectable()
export class ConfirmTotpHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly totps: Totps,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(userId: string, body: ConfirmTotpDto, by: Caller): Promise<{ id: string; totp: 'confirmed' }> {
    const secret = await this.totps.secretOf(userId);
    const step = secret ? this.totps.stepOf(secret, body.code) : undefined;
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      command: { type: 'ConfirmTotp', codeValid: step !== undefined, by },
      inTransaction: async (tx) => {
        await tx.query('UPDATE totp_secrets SET confirmed_at = $2, last_used_step = $3 WHERE user_id = $1', [userId, this.clock.now(), step]);
      },
    });
    return { id: userId, totp: 'confirmed' };
  }
}
