import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { organisationOfUser, userAggregate, UserPreferences, userStreamId } from '../../users/user.aggregate';
import { ChangePreferencesDto } from './change-preferences.dto';

/** The caller's own preferences, on their user stream: they follow the user to any device they sign in on. */
@Injectable()
export class ChangePreferencesHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(body: ChangePreferencesDto, by: Caller): Promise<UserPreferences> {
    const { state } = await this.commands.handle({
      stream: mustExist(userStreamId(by.userId), 'user', by.userId),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: { type: 'ChangePreferences', preferences: { locale: body.locale, elderMode: body.elderMode }, by },
    });
    if (state.status === 'unknown') throw new Error('a user stream that must exist folded to no user');
    return state.preferences;
  }
}
