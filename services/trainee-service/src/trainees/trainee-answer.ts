import { Injectable } from '@nestjs/common';
import { unseal } from '@skills/service-runtime';
import { maskIdentityNumber } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { PersonalDataKeys } from '../personal-data/personal-data-keys';
import { PersonalData } from '../personal-data/sealed-personal-data';
import { traineeAggregate, traineeStreamId } from './trainee.aggregate';

export interface TraineeAnswer {
  id: string;
  /** null once the personal data is erased (also `idNumberMasked` and `phone`). */
  name: string | null;
  idNumberMasked: string | null;
  birthDate: string;
  gender: 'male' | 'female';
  phone: string | null;
  regionCode: string;
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

  /** Read from the stream itself, so a read right after registering or erasing sees it. */
  async find(traineeId: string): Promise<TraineeAnswer> {
    const state = await this.commands.existing(mustExist(traineeStreamId(traineeId), 'trainee', traineeId), traineeAggregate);
    const { profile } = state;
    const key = state.status === 'registered' ? await this.keys.find(traineeId) : undefined;
    const personal = state.status === 'registered' && key ? unseal<PersonalData>(key, state.personalData) : undefined;
    return {
      id: traineeId,
      name: personal?.name ?? null,
      idNumberMasked: personal ? maskIdentityNumber(personal.idNumber) : null,
      birthDate: profile.birthDate,
      gender: profile.gender,
      phone: personal?.phone ?? null,
      regionCode: profile.regionCode,
      categories: profile.categories,
      registeredOn: profile.registeredOn,
      personalDataErased: !personal,
    };
  }
}
