import { Inject, Injectable } from '@nestjs/common';
import { verificationUrlOf } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { RUNTIME_CONFIG, RuntimeConfig, TraineeReplica } from '@skills/service-runtime';
import { CertificateVerification } from '../../certification-answers';
import { CertificateNumbers } from '../certificate-numbers';
import { LadderEvent, ladderStreamId, LevelCertified } from '../ladder.aggregate';

type IssuedCertificates = Map<string, LevelCertified['data'] & { status: 'valid' | 'revoked'; revokedOn?: string }>;

/** The certificates of one ladder as the public sees them, folded from its stream. */
const issuedCertificates = {
  initialState: (): IssuedCertificates => new Map(),
  evolve(certificates: IssuedCertificates, event: LadderEvent): IssuedCertificates {
    const next = new Map(certificates);
    if (event.type === 'LevelCertified') next.set(event.data.certificateNumber, { ...event.data, status: 'valid' });
    // Recorded in error: as if never recorded (a later recording of the number, on this ladder, sets it again).
    else if (event.type === 'CertificateVoided') next.delete(event.data.certificateNumber);
    else next.set(event.data.certificateNumber, { ...certificates.get(event.data.certificateNumber)!, status: 'revoked', revokedOn: event.data.revokedOn });
    return next;
  },
};

/** A certificate as public verification answers it, and whose it is (never answered: for the name check). */
export interface PublicCertificate {
  holderId: string;
  answer: CertificateVerification;
}

/** Public verification's reading, from the ladder's own stream: a certificate is verifiable the moment it is issued. */
@Injectable()
export class PublicCertificates {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly numbers: CertificateNumbers,
    private readonly trainees: TraineeReplica,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async find(number: string): Promise<PublicCertificate | undefined> {
    const issued = await this.issued(number);
    if (!issued) return undefined;
    const { holder, certificate } = issued;
    const trainee = await this.trainees.find(holder.traineeId);
    return {
      holderId: holder.traineeId,
      answer: {
        number,
        ...(certificate.legacyNumber ? { legacyNumber: true as const } : {}),
        holderName: trainee?.nameMasked ?? null,
        occupationCode: certificate.occupationCode,
        level: certificate.level,
        route: certificate.route,
        evaluator: certificate.evaluatorName,
        certifiedOn: certificate.certifiedOn,
        status: certificate.status,
        ...(certificate.revokedOn ? { revokedOn: certificate.revokedOn } : {}),
        verificationUrl: verificationUrlOf(this.config.publicOrigin, number),
      },
    };
  }

  /** The certificate as its holder's ladder records it, and whose it is (`holder.traineeId`). */
  async issued(number: string) {
    const holder = await this.numbers.holderOf(number);
    if (!holder) return undefined;
    const { state } = await this.commands.load(mustExist(ladderStreamId(holder.traineeId, holder.occupationCode), 'certificate', number), issuedCertificates);
    const certificate = state.get(number);
    return certificate && { holder, certificate };
  }
}
