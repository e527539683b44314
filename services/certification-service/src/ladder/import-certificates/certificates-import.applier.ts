import { Injectable } from '@nestjs/common';
import { Actor, ImportRowSubmitted } from '@skills/contracts';
import { CURRENT_OCCUPATION_EDITION, FieldRefusal, UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, eitherWay, mustExist } from '@skills/event-sourcing';
import { currentCorrelation } from '@skills/messaging';
import { ImportJobOf, ImportRowApplier, TraineeReplica, validatedAs } from '@skills/service-runtime';
import { evaluatorAggregate, evaluatorStreamId } from '../../evaluators/evaluator.aggregate';
import { CertificateNumbers } from '../certificate-numbers';
import { ladderIntegrationEvents } from '../certification-messages';
import { ladderAggregate, ladderStreamId } from '../ladder.aggregate';
import { ImportedCertificateDto } from './imported-certificate.dto';

/** The cells a `certificates` row brings besides the person's (trainee-service keeps those). */
const CERTIFICATE_FIELDS = ['certificateNumber', 'occupationCode', 'occupationEdition', 'level', 'certifiedOn'] as const;

/**
 * A row of an evaluator's `certificates` import (api.md, Imports): a certificate of an earlier year,
 * recorded on the holder's ladder as it was issued (route `imported`), for the job's evaluator. Its
 * cells are checked by the API's DTO rules, its number, date and level by the ladder
 * (RecordImportedCertificate), its number's uniqueness across the platform by the number's index.
 */
@Injectable()
export class CertificatesImportApplier implements ImportRowApplier {
  readonly kind = 'certificates' as const;

  constructor(
    private readonly commands: CommandPipeline,
    private readonly trainees: TraineeReplica,
    private readonly numbers: CertificateNumbers,
  ) {}

  async apply(row: ImportRowSubmitted, job: ImportJobOf, previouslyImported: boolean): Promise<'created'> {
    // A certificate is recorded once, as issued: a changed row of one already imported would rewrite
    // it. A wrong one is revoked (POST /api/v1/certificates/{number}/revocation), never overwritten.
    if (previouslyImported) {
      throw new FieldRefusal('certificateNumber', 'certificate_already_recorded', 'this certificate number was imported before with other cells: a recorded certificate is not changed by an import (revoke it if it is wrong)');
    }
    const body = await validatedAs(ImportedCertificateDto, { traineeId: row.traineeId, ...cellsOf(row) });
    // The job's organisation is the issuing evaluator (domain.md section 9: an evaluator imports its own certificates).
    const evaluator = await this.commands.existing(mustExist(evaluatorStreamId(job.organisationId), 'evaluator', job.organisationId), evaluatorAggregate);
    if (!(await this.trainees.waitFor(body.traineeId))) throw new UnknownEntity('trainee', body.traineeId);
    await this.commands.handle({
      stream: eitherWay(ladderStreamId(body.traineeId, body.occupationCode)),
      aggregate: ladderAggregate,
      command: {
        type: 'RecordImportedCertificate',
        certificateNumber: body.certificateNumber,
        traineeId: body.traineeId,
        occupationCode: body.occupationCode,
        occupationEdition: body.occupationEdition ?? CURRENT_OCCUPATION_EDITION,
        // Certification figures count by the evaluator's region, as for a certificate issued here.
        regionCode: evaluator.regionCode,
        level: body.level,
        certifiedOn: body.certifiedOn,
        evaluator: { evaluatorId: evaluator.evaluatorId, name: evaluator.name, kind: evaluator.kind, creditCode: evaluator.creditCode, regionCode: evaluator.regionCode, evaluatorCode: evaluator.evaluatorCode },
        by: evaluatorStaffOf(job),
      },
      inTransaction: (tx) => this.numbers.claim(tx, body.certificateNumber, { traineeId: body.traineeId, occupationCode: body.occupationCode }, evaluator.evaluatorId),
      integrationEvents: ladderIntegrationEvents,
    });
    return 'created';
  }
}

/** The row's certificate cells as given; a blank one is not given (the DTO says what is missing). */
function cellsOf(row: ImportRowSubmitted): Partial<Record<(typeof CERTIFICATE_FIELDS)[number], string>> {
  const cells: Partial<Record<(typeof CERTIFICATE_FIELDS)[number], string>> = {};
  for (const field of CERTIFICATE_FIELDS) {
    const value = row.fields[field]?.trim();
    if (value) cells[field] = value;
  }
  return cells;
}

/**
 * The job's evaluator as its staff: what the ladder's permission judges. The events record the job's
 * own actor (importActor: via system, and the user who started it), which the pipeline takes from the context.
 */
function evaluatorStaffOf(job: ImportJobOf): Actor {
  return { userId: currentCorrelation().actor?.userId ?? null, role: 'evaluator_staff', organisationId: job.organisationId, via: 'system', component: 'imports' };
}
