import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { Totps } from '../totps';
import { userAggregate, userStreamId } from '../user.aggregate';

/**
 * A new TOTP secret for the user themself, answered once. The stream records only `TotpEnrolled`; the
 * secret goes into `totp_secrets` in the same transaction (enrolling again before confirming replaces it).
 */
@Injectable()
export class EnrolTotpHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly totps: Totps,
  ) {}

  async execute(userId: string, by: Caller): Promise<{ secret: string; otpauthUri: string }> {
    const issued = this.totps.issue(by.username);
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      command: { type: 'EnrolTotp', by },
      inTransaction: async (tx) => {
        await tx.query(
          `INSERT INTO totp_secrets (user_id, secret) VALUES ($1, $2)
           ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, confirmed_at = NULL, last_used_step = NULL`,
          [userId, issued.secret],
        );
      },
    });
    return issued;
  }
}
