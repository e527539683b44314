import { actorOf, Caller } from '@skills/contracts';
import { CommandPipeline, eitherWay } from '@skills/event-sourcing';
import { bureauAggregate, bureauStreamId } from '../bureaus/bureau.aggregate';
import { BrandActor } from './brand.aggregate';

/**
 * The caller as a brand command's `by`: their organisation is their bureau, whose region is read from
 * its stream (null when the organisation is no registered bureau), so the brand aggregate decides.
 */
export async function brandActorOf(commands: CommandPipeline, caller: Caller): Promise<BrandActor> {
  const actor = actorOf(caller);
  if (caller.organisationId === null) return { ...actor, bureauRegion: null };
  const { state: bureau } = await commands.load(eitherWay(bureauStreamId(caller.organisationId)), bureauAggregate);
  return { ...actor, bureauRegion: bureau.status === 'registered' ? bureau.regionCode : null };
}
