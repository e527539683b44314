import { Module } from '@nestjs/common';
import { ServiceRuntimeModule } from '@skills/service-runtime';
import { certificationMigrations } from './certification.migrations';
import { RegisterEvaluatorController } from './evaluators/register-evaluator/register-evaluator.controller';
import { RegisterEvaluatorHandler } from './evaluators/register-evaluator/register-evaluator.handler';
import { CertificateNumbers } from './ladder/certificate-numbers';
import { CertifyController } from './ladder/certify/certify.controller';
import { CertifyHandler } from './ladder/certify/certify.handler';
import { certificatesProjection } from './ladder/read/certificates.projection';
import { GetDistributionController } from './ladder/read/get-distribution.controller';
import { GetTraineeLadderController } from './ladder/read/get-trainee-ladder.controller';
import { RevokeCertificateController } from './ladder/revoke-certificate/revoke-certificate.controller';
import { VerifyCertificateController } from './ladder/verify-certificate/verify-certificate.controller';
import { Employments } from './replicas/employments';
import { KnownTrainees } from './replicas/known-trainees';
import { CertificationReplicaConsumers } from './replicas/replica.consumers';

/** Evaluators, the eight-level ladder, certificates. Imported by its own main and by the platform. */
@Module({
  imports: [ServiceRuntimeModule.forService({ name: 'certification', migrations: certificationMigrations, projections: [certificatesProjection] })],
  controllers: [
    RegisterEvaluatorController,
    CertifyController,
    RevokeCertificateController,
    VerifyCertificateController,
    GetTraineeLadderController,
    GetDistributionController,
    CertificationReplicaConsumers,
  ],
  providers: [RegisterEvaluatorHandler, CertifyHandler, CertificateNumbers, KnownTrainees, Employments],
})
export class CertificationModule {}
