import { Injectable } from '@nestjs/common';
import type { Caller } from '@skills/contracts';
import { DomainRefusal, maskName } from '@skills/domain-kernel';
import { CommandPipeline, mustNotExist, UniqueClaim } from '@skills/event-sourcing';
import { mayRead, relateAll, relateStatement, seal, Sealed, TraineeRelations } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { PoolClient } from 'pg';
import { PersonalDataKeys } from '../../personal-data/personal-data-keys';
import { personalDataOf } from '../../personal-data/sealed-personal-data';
import { identityHash } from '../identity-hash';
import { indexStatement, indexTrainees } from '../search-trainees/search-index';
import { RegisterTrainee, traineeAggregate, traineeStreamId } from '../trainee.aggregate';
import { traineeIntegrationEvents } from '../trainee-messages';
import { TraineeLookups } from '../lookup-trainee/trainee-lookups';
import { TraineeMatching } from '../lookup-trainee/trainee-matching';
import { RegisterTraineeDto } from './register-trainee.dto';

/** One trainee per identity number, claimed by its keyed hash (the claim holds no personal data). */
const identityClaim = (idNumber: string, traineeId: string): UniqueClaim => ({
  table: 'identity_claims',
  key: { identity_hash: identityHash(idNumber) },
  holder: { column: 'trainee_id', id: traineeId },
  rule: 'identity_number_registered',
  detail: 'a trainee with this identity number is already registered',
});

/** A registration made ready: the new trainee's id, data key, sealed command and claim. */
interface Registration {
  traineeId: string;
  dataKey: Buffer;
  personal: ReturnType<typeof personalDataOf>;
  command: RegisterTrainee;
  claim: UniqueClaim;
  nameMasked: string;
}

@Injectable()
export class RegisterTraineeHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly keys: PersonalDataKeys,
    private readonly lookups: TraineeLookups,
    private readonly matching: TraineeMatching,
    private readonly relations: TraineeRelations,
  ) {}

  /**
   * The registering caller's organisation becomes related to the trainee (none for platform_admin). A
   * number already registered is refused 409, counted and audited as a lookup (past the caller's limit
   * answered 429 instead), and names its holder (`existingId`) only as a lookup would or to whoever
   * may read them already (registeredRefusal).
   */
  async execute(body: RegisterTraineeDto, caller: Caller): Promise<{ id: string }> {
    try {
      return await this.register(body, caller);
    } catch (error) {
      if (error instanceof DomainRefusal && error.rule === 'identity_number_registered') throw await this.registeredRefusal(error, body, caller);
      throw error;
    }
  }

  /**
   * The refusal of a registered number. Its holder's id would let anyone who knows a number alone enrol or
   * hire the person and so read them in full (domain.md section 9 finds a person by number and name), so
   * it is named only where the name sent is the holder's (TraineeMatching, as the lookup) or the caller
   * may read the holder already (a related organisation, platform_admin). Otherwise the refusal says the
   * number is registered under another name, never whose or by which organisation. The lookup it counts
   * records whom the answer names, as the lookup's does.
   */
  private async registeredRefusal(refusal: DomainRefusal, body: RegisterTraineeDto, caller: Caller): Promise<DomainRefusal> {
    const holder = typeof refusal.context.existingId === 'string' ? refusal.context.existingId : null;
    const named = await this.lookups.counted(caller, async () => {
      if (!holder) return null;
      if (mayRead(caller, holder, await this.relations.relatedOrganisations(holder))) return holder;
      return (await this.matching.named(holder, body.name)) ? holder : null;
    });
    if (named) return refusal;
    return new DomainRefusal(refusal.rule, 'a trainee with this identity number is already registered, under another name: the organisation that registered them corrects a wrong name');
  }

  private async register(body: RegisterTraineeDto, caller: Caller): Promise<{ id: string }> {
    const registration = this.registrationOf(body, caller.organisationId);
    const { traineeId, dataKey, personal } = registration;
    await this.commands.handle({
      stream: mustNotExist(traineeStreamId(traineeId)),
      aggregate: traineeAggregate,
      command: registration.command,
      // The claim and the key commit with the event or not at all: concurrent registrations of one
      // number collide on the claim's primary key and exactly one wins. The registering organisation's
      // relation commits with them: the school reads the trainee right after the 201, before
      // TraineeRegistered (which relates it in every other service) comes back.
      claims: [registration.claim],
      sideWrites: () => [
        this.keys.storeStatement([{ traineeId, dataKey }]),
        ...(caller.organisationId ? [relateStatement([{ traineeId, organisationId: caller.organisationId }])] : []),
        // Searchable from the 201 on, by keyed tokens only.
        indexStatement([{ traineeId, person: personal }]),
      ],
      integrationEvents: (events) => traineeIntegrationEvents(events, { nameMasked: registration.nameMasked, birthDate: personal.birthDate }),
    });
    return { id: traineeId };
  }

  /**
   * Many registrations for one organisation in the caller's transaction (a bulk import's batch), with
   * the same rules, claim, key, relation, index and messages as `execute`, a few statements for all.
   * Per body, in order: the new trainee's id, or the refusal (identity_number_registered).
   */
  async registerAll(tx: PoolClient, bodies: RegisterTraineeDto[], organisationId: string | null): Promise<Array<{ id: string } | DomainRefusal>> {
    const registrations = bodies.map((body) => this.registrationOf(body, organisationId));
    const byStream = new Map(registrations.map((registration) => [traineeStreamId(registration.traineeId), registration]));
    const outcomes = await this.commands.startStreamsInTransaction(tx, {
      aggregate: traineeAggregate,
      streams: registrations.map((registration) => ({ streamId: traineeStreamId(registration.traineeId), command: registration.command, claim: registration.claim })),
      inTransaction: async (sql, started) => {
        const made = started.map(({ index }) => registrations[index]);
        await this.keys.storeMany(sql, made.map(({ traineeId, dataKey }) => ({ traineeId, dataKey })));
        if (organisationId) await relateAll(sql, made.map(({ traineeId }) => ({ traineeId, organisationId })));
        await indexTrainees(sql, made.map(({ traineeId, personal }) => ({ traineeId, person: personal })));
      },
      integrationEvents: (events) => {
        const registration = byStream.get(events[0].streamId) as Registration;
        return traineeIntegrationEvents(events, { nameMasked: registration.nameMasked, birthDate: registration.personal.birthDate });
      },
    });
    return outcomes.map((outcome, index) => ('refusal' in outcome ? outcome.refusal : { id: registrations[index].traineeId }));
  }

  /**
   * How `registerAll` would judge each body by the aggregate's rules (a birth date in the future),
   * writing nothing. Nothing is sealed for it: the sealed fields take no part in the decision, and the
   * events decided are thrown away.
   */
  refusalsOf(bodies: RegisterTraineeDto[], organisationId: string | null): Array<DomainRefusal | null> {
    return this.commands.refusalsOfNew(traineeAggregate, bodies.map((body) => commandOf(body, organisationId, randomUUID(), NOTHING_SEALED)));
  }

  private registrationOf(body: RegisterTraineeDto, organisationId: string | null): Registration {
    const traineeId = randomUUID();
    const idNumber = body.idNumber.toUpperCase();
    const dataKey = this.keys.newKey();
    const personal = personalDataOf({ name: body.name, idNumber, phone: body.phone, regionCode: body.regionCode });
    return {
      traineeId,
      dataKey,
      personal,
      command: commandOf(body, organisationId, traineeId, seal(dataKey, personal)),
      claim: identityClaim(idNumber, traineeId),
      nameMasked: maskName(body.name),
    };
  }
}

const commandOf = (body: RegisterTraineeDto, organisationId: string | null, traineeId: string, personalData: Sealed): RegisterTrainee => ({
  type: 'RegisterTrainee',
  traineeId,
  idNumber: body.idNumber.toUpperCase(),
  personalData,
  categories: body.categories ?? [],
  registeredBy: organisationId,
});

/** What stands for the sealed personal data in a registration only judged (refusalsOf). */
const NOTHING_SEALED: Sealed = { alg: 'A256GCM', iv: '', tag: '', ciphertext: '' };
