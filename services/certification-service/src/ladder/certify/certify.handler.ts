import { Injectable } from '@nestjs/common';
import { SkillLevel, UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/service-runtime';
import { evaluatorAggregate, evaluatorStreamId } from '../../evaluators/evaluator.aggregate';
import { Employments } from '../../replicas/employments';
import { KnownTrainees } from '../../replicas/known-trainees';
import { CertificateNumbers } from '../certificate-numbers';
import { ladderIntegrationEvents } from '../certification-messages';
import { ladderAggregate, ladderStreamId } from '../ladder.aggregate';
import { CertifyDto } from './certify.dto';

@Injectable()
export class CertifyHandler {
  constructor(
    private readonly commands: CommandHandler,
    private readonly trainees: KnownTrainees,
    private readonly employments: Employments,
    private readonly numbers: CertificateNumbers,
  ) {}

  async execute(body: CertifyDto): Promise<{ certificateNumber: string; level: SkillLevel; previousLevel: SkillLevel | null }> {
    const { state: evaluator } = await this.commands.load(evaluatorStreamId(body.evaluatorId), evaluatorAggregate);
    if (evaluator.status !== 'registered') throw new UnknownEntity('evaluator', body.evaluatorId);
    const trainee = await this.trainees.waitFor(body.traineeId);
    if (!trainee) throw new UnknownEntity('trainee', body.traineeId);
    const evaluatorEmploysWorker = await this.employments.employs(evaluator.creditCode, body.traineeId, body.certifiedOn);
    const certificateNumber = await this.numbers.next(evaluator, body.level, body.certifiedOn);
    const { events } = await this.commands.handle({
      streamId: ladderStreamId(body.traineeId, body.occupationCode),
      aggregate: ladderAggregate,
      command: {
        type: 'Certify',
        certificateNumber,
        ...body,
        regionCode: trainee.regionCode,
        evaluator: { evaluatorId: evaluator.evaluatorId, name: evaluator.name, kind: evaluator.kind, creditCode: evaluator.creditCode },
        evaluatorEmploysWorker,
      },
      metadata: currentCorrelation(),
      inTransaction: (tx) => this.numbers.record(tx, certificateNumber, body.traineeId, body.occupationCode),
      integrationEvents: ladderIntegrationEvents,
    });
    const [certified] = events;
    if (certified.type !== 'LevelCertified') throw new Error('a certification records LevelCertified');
    return { certificateNumber, level: certified.data.level, previousLevel: certified.data.previousLevel };
  }
}
