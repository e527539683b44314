import { Injectable } from '@nestjs/common';
import { actorOf, Caller, PLACEMENT_TOPIC } from '@skills/contracts';
import { SkillLevel, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, eitherWay, mustExist } from '@skills/event-sourcing';
import { CatchUp, FactsParked, NOT_REGISTERED, TraineeAges, TraineeReplica } from '@skills/service-runtime';
import { evaluatorAggregate, evaluatorStreamId } from '../../evaluators/evaluator.aggregate';
import { Employments } from '../../replicas/employments';
import { CertificateNumbers } from '../certificate-numbers';
import { ladderIntegrationEvents } from '../certification-messages';
import { Certify, ladderAggregate, ladderStreamId, refuseUnlessStaffOf } from '../ladder.aggregate';
import { CertifyDto } from './certify.dto';

@Injectable()
export class CertifyHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
    private readonly employments: Employments,
    private readonly numbers: CertificateNumbers,
    private readonly ages: TraineeAges,
    private readonly catchUp: CatchUp,
  ) {}

  async execute(body: CertifyDto, caller: Caller): Promise<{ certificateNumber: string; level: SkillLevel; previousLevel: SkillLevel | null }> {
    const evaluator = await this.commands.existing(mustExist(evaluatorStreamId(body.evaluatorId), 'evaluator', body.evaluatorId), evaluatorAggregate);
    const by = actorOf(caller);
    // The ladder decides this too; asked here first, so a foreign caller locks none of the evaluator's serials.
    refuseUnlessStaffOf(evaluator.evaluatorId, by, 'certificates:certify');
    const trainee = await this.trainees.findCaughtUp(body.traineeId);
    if (!trainee) throw new UnknownEntity('trainee', body.traineeId);
    // Certification figures count by the evaluator's region (domain.md section 6): the trainee's own
    // region is personal data, erasable, and never leaves trainee-service.
    const regionCode = evaluator.regionCode;
    // Direct certification and appointment are for a worker the evaluator employs: judged on every
    // hire and end of employment placement had accepted when this arrived.
    const byEmployer = body.route === 'direct' || body.route === 'appointment';
    const basedOnFacts = byEmployer ? await this.catchUp.facts([PLACEMENT_TOPIC]) : undefined;
    const employment = await this.employments.employs(evaluator.creditCode, body.traineeId, body.certifiedOn);
    // Not on a replica that lacks one of the worker's hires or ends (a dead letter): it may say employed of someone who left.
    if (byEmployer && employment.factsParked) throw new FactsParked(`trainee ${body.traineeId}'s employments from placement-service`);
    const evaluatorEmploysWorker = employment.employs;
    // Trainee-service alone knows the birth date, and tells only how old the holder was that day.
    const age = await this.ages.ageOn(body.traineeId, body.certifiedOn);
    // trainee-service's word on the registration as it stands there: one voided a moment ago, which the
    // replica may still hold, gets no certificate.
    if (age === NOT_REGISTERED) throw new UnknownEntity('trainee', body.traineeId);
    const holderAge = age ?? null;
    const { events } = await this.commands.handle({
      stream: eitherWay(ladderStreamId(body.traineeId, body.occupationCode)),
      aggregate: ladderAggregate,
      // The number is taken in the certification's transaction, after its ladder's lock (the order an
      // import of certificates takes them in too) and recorded with the certificate: a refused
      // certification rolls its serial back, so only a certificate issued uses one up.
      command: async (_ladder, tx): Promise<Certify> => ({
        type: 'Certify',
        certificateNumber: await this.numbers.take(tx, evaluator, body.level, body.certifiedOn, { traineeId: body.traineeId, occupationCode: body.occupationCode }),
        ...body,
        regionCode,
        evaluator: { evaluatorId: evaluator.evaluatorId, name: evaluator.name, kind: evaluator.kind, creditCode: evaluator.creditCode, regionCode: evaluator.regionCode },
        evaluatorEmploysWorker,
        holderAge,
        basedOnFacts,
        by,
      }),
      integrationEvents: ladderIntegrationEvents,
    });
    const [certified] = events;
    if (certified.type !== 'LevelCertified') throw new Error('a certification records LevelCertified');
    return { certificateNumber: certified.data.certificateNumber, level: certified.data.level, previousLevel: certified.data.previousLevel };
  }
}
