import { Injectable } from '@nestjs/common';
import { unseal } from '@skills/service-runtime';
import { maskIdentityNumber, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, foldStream, mustExist, readStream, readStreams } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { PersonalDataKeys } from '../personal-data/personal-data-keys';
import { PersonalData } from '../personal-data/sealed-personal-data';
import { Trainee, traineeAggregate, TraineeEvent, traineeStreamId } from './trainee.aggregate';

export interface TraineeAnswer {
  id: string;
  /** null once the personal data is erased (also `idNumberMasked`, `birthDate`, `gender`, `phone`, `regionCode`; `categories` empty). */
  name: string | null;
  idNumberMasked: string | null;
  birthDate: string | null;
  gender: 'male' | 'female' | null;
  phone: string | null;
  regionCode: string | null;
  categories: string[];
  registeredOn: string;
  /** The organisation that registered them (whose staff correct and void it); null for registrations recorded before that was kept. */
  registeredBy: string | null;
  personalDataErased: boolean;
}

/** What an erasure or a void reads of the person before their key goes (TraineeAnswers.erasableFactsOf). */
export interface ErasableFacts {
  idNumber?: string;
  birthDate: string | null;
  /** Every name and phone they were registered or corrected with, the current ones too. */
  names: string[];
  phones: string[];
}

/** The trainee as answered over HTTP: from the trainee's own stream, personal fields unsealed. */
@Injectable()
export class TraineeAnswers {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly keys: PersonalDataKeys,
    private readonly database: Database,
  ) {}

  /**
   * What an erasure or a void must read before the key goes, in one read of the stream and the key: the full
   * identity number (the rows and keys it names), the birth date (a minor's 16th birthday outlives the erasure),
   * and every name and phone the registration and its corrections held (an import row refused for a mistyped
   * number names the person by their phone, a file's name by their name: ImportJobUpkeep finds them by these).
   */
  async erasableFactsOf(traineeId: string): Promise<ErasableFacts> {
    const events = await readStream<TraineeEvent>(this.database, traineeStreamId(traineeId));
    if (events.length === 0) throw new UnknownEntity('trainee', traineeId);
    const state = foldStream(traineeAggregate, events);
    const none: ErasableFacts = { birthDate: null, names: [], phones: [] };
    if (state.status !== 'registered') return none;
    const key = await this.keys.find(traineeId);
    if (!key) return none;
    const personal = unseal<PersonalData>(key, state.personalData);
    const held = events.flatMap((event) => (event.type === 'TraineeRegistered' || event.type === 'TraineeCorrected' ? [unseal<PersonalData>(key, event.data.personalData)] : []));
    return {
      idNumber: personal.idNumber,
      birthDate: personal.birthDate ?? state.profile.birthDate ?? null,
      names: [...new Set(held.map((each) => each.name))],
      phones: [...new Set(held.map((each) => each.phone))],
    };
  }

  /** Read from the stream itself, so a read right after registering or erasing sees it. */
  async find(traineeId: string): Promise<TraineeAnswer> {
    const state = await this.commands.existing(mustExist(traineeStreamId(traineeId), 'trainee', traineeId), traineeAggregate);
    if (state.status === 'voided') throw new UnknownEntity('trainee', traineeId);
    return answerOf(traineeId, state, state.status === 'registered' ? await this.keys.find(traineeId) : undefined);
  }

  /** Many at once (the people of an import file): two queries in all; unknown and voided trainees are absent. */
  async findMany(traineeIds: string[]): Promise<Map<string, TraineeAnswer>> {
    const streams = await readStreams<TraineeEvent>(this.database, traineeIds.map(traineeStreamId));
    const keys = await this.keys.findMany(traineeIds);
    const answers = new Map<string, TraineeAnswer>();
    for (const traineeId of traineeIds) {
      const state = foldStream(traineeAggregate, streams.get(traineeStreamId(traineeId)) ?? []);
      if (state.status === 'registered' || state.status === 'erased') answers.set(traineeId, answerOf(traineeId, state, keys.get(traineeId)));
    }
    return answers;
  }
}

type KnownTrainee = Extract<Trainee, { status: 'registered' | 'erased' }>;

function answerOf(traineeId: string, state: KnownTrainee, key: Buffer | undefined): TraineeAnswer {
  const { profile } = state;
  const personal = state.status === 'registered' && key ? unseal<PersonalData>(key, state.personalData) : undefined;
  return {
    id: traineeId,
    name: personal?.name ?? null,
    idNumberMasked: personal ? maskIdentityNumber(personal.idNumber) : null,
    // Registrations recorded before these were sealed hold them in clear: shown only while not erased.
    birthDate: personal ? (personal.birthDate ?? profile.birthDate ?? null) : null,
    gender: personal ? (personal.gender ?? profile.gender ?? null) : null,
    phone: personal?.phone ?? null,
    regionCode: personal ? (personal.regionCode ?? profile.regionCode ?? null) : null,
    // Some categories tell of health or hardship (disabled, registered poor): sensitive personal information
    // under PIPL, answered only while the personal data is there (the erasure also takes them out of the log,
    // PersonalDataKeys.destroy; the TraineeRegistered message published keeps them): every answer made of this one, the archive too.
    categories: personal ? profile.categories : [],
    registeredOn: profile.registeredOn,
    registeredBy: profile.registeredBy ?? null,
    personalDataErased: !personal,
  };
}
