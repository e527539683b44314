import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CurrentPasswords } from '../current-passwords';
import { Totps } from '../totps';
import { EnrolTotp, userAggregate, userStreamId } from '../user.aggregate';
import { EnrolTotpDto } from './enrol-totp.dto';

/**
 * A new TOTP secret for the user themself, answered once. The stream records only `TotpEnrolled`; the
 * secret goes into `totp_secrets` in the same transaction (enrolling again before confirming replaces it).
 * With the user's password (CurrentPasswords), unless the token is the enrolment-only one got with it at
 * sign-in: a token in other hands must not enrol a factor of its own and lock the user out.
 */
@Injectable()
export class EnrolTotpHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly totps: Totps,
    private readonly currentPasswords: CurrentPasswords,
  ) {}

  async execute(userId: string, body: EnrolTotpDto, by: Caller, address: string): Promise<{ secret: string; otpauthUri: string }> {
    // Another's enrolment is refused by the aggregate, their password unasked.
    const asksPassword = by.userId === userId && by.purpose !== 'totp_enrolment';
    const currentPasswordMatched = asksPassword ? await this.currentPasswords.matched(userId, body.currentPassword, by, address, 'enrol a second factor') : undefined;
    const issued = this.totps.issue(by.username);
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      command: { type: 'EnrolTotp', currentPasswordMatched, by } satisfies EnrolTotp,
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
