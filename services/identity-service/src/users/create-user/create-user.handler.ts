import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustNotExist } from '@skills/event-sourcing';
import { OrganisationReplica } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../passwords';
import { organisationOfUser, userAggregate, userStreamId } from '../user.aggregate';
import { traineeUserCreatedMessages } from '../trainee-user-messages';
import { traineeUserClaim, usernameClaim } from '../users';
import { CreateUserDto } from './create-user.dto';

@Injectable()
export class CreateUserHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly organisations: OrganisationReplica,
  ) {}

  async execute(body: CreateUserDto, by: Caller): Promise<{ id: string }> {
    const userId = randomUUID();
    const username = body.username.toLowerCase();
    const passwordHash = await hashPassword(body.password);
    // Caught up with the register first: an organisation registered a moment ago on another service lends
    // its region to the new user's tokens from the first sign-in (a bureau officer's reach depends on it).
    const organisation = body.organisationId ? ((await this.organisations.findCaughtUp(body.organisationId)) ?? null) : null;
    await this.commands.handle({
      stream: mustNotExist(userStreamId(userId)),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: {
        type: 'CreateUser',
        user: { userId, role: body.role, organisationId: body.organisationId ?? null, traineeId: body.traineeId ?? null, orgAdmin: body.orgAdmin ?? false, passwordHash, temporaryPassword: body.temporaryPassword ?? false },
        organisation,
        by,
      },
      claims: [usernameClaim(username, userId), ...(body.traineeId ? [traineeUserClaim(body.traineeId, userId)] : [])],
      integrationEvents: traineeUserCreatedMessages,
    });
    return { id: userId };
  }
}
