import { aggregateSpec } from '@skills/testing';
import { RegisterTrainee, traineeAggregate, TraineeRegistered } from './trainee.aggregate';

const given = aggregateSpec(traineeAggregate);

const register: RegisterTrainee = {
  type: 'RegisterTrainee',
  traineeId: 't-1',
  name: '张三',
  idNumber: '430202199001011233',
  phone: '13800000000',
  categories: ['rural_migrant'],
  registeredOn: '2026-03-01',
};

const registered: TraineeRegistered = {
  type: 'TraineeRegistered',
  data: {
    traineeId: 't-1',
    name: '张三',
    idNumber: '430202199001011233',
    phone: '13800000000',
    regionCode: '430202',
    birthDate: '1990-01-01',
    gender: 'male',
    categories: ['rural_migrant'],
    registeredOn: '2026-03-01',
  },
};

describe('registering a trainee', () => {
  it('derives birth date, gender and region from the identity number', () => {
    given().when(register).then([registered]);
  });

  it('keeps an explicit region code', () => {
    given()
      .when({ ...register, regionCode: '430200' })
      .then([{ ...registered, data: { ...registered.data, regionCode: '430200' } }]);
  });

  it('refuses to register the same trainee twice', () => {
    given(registered).when(register).thenRefuses('trainee_already_registered');
  });

  it('refuses an identity number whose check character is wrong', () => {
    given().when({ ...register, idNumber: '110105194912310021' }).thenRefuses('identity_number_invalid');
  });

  it('refuses a birth date after the registration date', () => {
    given().when({ ...register, registeredOn: '1989-12-31' }).thenRefuses('identity_number_invalid');
  });
});
