import { Injectable } from '@nestjs/common';
import { unseal } from '@skills/service-runtime';
import { maskIdentityNumber, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { PersonalDataKeys } from '../personal-data/personal-data-keys';
import { PersonalData } from '../personal-data/sealed-personal-data';
import { traineeAggregate, traineeStreamId } from './trainee.aggregate';

export interface TraineeAnswer {
  id: string;
  /** null once the personal data is erased (also `idNumberMasked`, `birthDate`, `gender`, `phone`, `regionCode`). */
  name: string | null;
  idNumberMasked: string | null;
  birthDate: string | null;
  gender: 'male' | 'female' | null;
  phone: string | null;
  regionCode: string | null;
  categories: string[];
  registeredOn: string;
  personalDataErased: boolean;
}

/** The trainee as answered over HTTP: from the trainee's own stream, personal fields unsealed. */
@Injectable()
export class TraineeAnswers {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly keys: PersonalDataKeys,
  ) {}

  /** The full identity number while the personal data is there (an erasure reaches what it keys); never answered over HTTP. */
  async identityNumberOf(traineeId: string): Promise<string | undefined> {
    const state = await this.commands.existing(mustExist(traineeStreamId(traineeId), 'trainee', traineeId), traineeAggregate);
    const key = state.status === 'registered' ? await this.keys.find(traineeId) : undefined;
    return state.status === 'registered' && key ? unseal<PersonalData>(key, state.personalData).idNumber : undefined;
  }

  /** Read from the stream itself, so a read right after registering or erasing sees it. */
  async find(traineeId: string): Promise<TraineeAnswer> {
    const state = await this.commands.existing(mustExist(traineeStreamId(traineeId), 'trainee', traineeId), traineeAggregate);
    if (state.status === 'voided') throw new UnknownEntity('trainee', traineeId);
    const { profile } = state;
    const key = state.status === 'registered' ? await this.keys.find(traineeId) : undefined;
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
      categories: profile.categories,
      registeredOn: profile.registeredOn,
      personalDataErased: !personal,
    };
  }
}
