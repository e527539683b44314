import { Module } from '@nestjs/common';
import { CERTIFICATION_TOPIC } from '@skills/contracts';
import { importRowsFor, ServiceRuntimeModule, traineeRelationsFor, traineeReplicaFor } from '@skills/service-runtime';
import { certificationMigrations } from './certification.migrations';
import { CredentialsController } from './credentials/http/credentials.controller';
import { credentialsProjection } from './credentials/issue/credentials.projection';
import { credentialsProviders } from './credentials/credentials.providers';
import { RegisterEvaluatorController } from './evaluators/register-evaluator/register-evaluator.controller';
import { RegisterEvaluatorHandler } from './evaluators/register-evaluator/register-evaluator.handler';
import { ReadEvaluatorController } from './evaluators/read-evaluator/read-evaluator.controller';
import { CertificateNumbers } from './ladder/certificate-numbers';
import { CertifyController } from './ladder/certify/certify.controller';
import { CertifyHandler } from './ladder/certify/certify.handler';
import { CertificatesImportApplier } from './ladder/import-certificates/certificates-import.applier';
import { certificatesProjection } from './ladder/read/certificates.projection';
import { GetDistributionController } from './ladder/read/get-distribution.controller';
import { GetTraineeLadderController } from './ladder/read/get-trainee-ladder.controller';
import { ListCertificatesController } from './ladder/read/list-certificates.controller';
import { RevokeCertificateController } from './ladder/revoke-certificate/revoke-certificate.controller';
import { RevokeCertificateHandler } from './ladder/revoke-certificate/revoke-certificate.handler';
import { ImportedCertificateRows } from './ladder/import-certificates/imported-certificate-rows';
import { VoidCertificateController } from './ladder/void-certificate/void-certificate.controller';
import { VoidCertificateHandler } from './ladder/void-certificate/void-certificate.handler';
import { PublicCertificates } from './ladder/verify-certificate/public-certificates';
import { VerifyCertificateController } from './ladder/verify-certificate/verify-certificate.controller';
import { WrongNameBound } from './ladder/verify-certificate/wrong-name-bound';
import { Employments } from './replicas/employments';
import { CertificationReplicaConsumers } from './replicas/replica.consumers';

const traineeReplica = traineeReplicaFor('certification');
const traineeRelations = traineeRelationsFor('certification');
/** Historical certificates of an evaluator's `certificates` import jobs, submitted by trainee-service. */
const importRows = importRowsFor('certification', CERTIFICATION_TOPIC, [CertificatesImportApplier]);

/** Evaluators, the eight-level ladder, certificates. Imported by its own main and by the platform. */
@Module({
  imports: [
    ServiceRuntimeModule.forService({
      name: 'certification',
      migrations: certificationMigrations,
      // Credentials are signed unless CREDENTIAL_SIGNING=off (the benchmark compares the certification's latency without them).
      projections: (config) => [certificatesProjection, ...(config.credentialSigning ? [credentialsProjection(config)] : [])],
      sealedWithMasterKey: [{ table: 'evaluator_signing_keys', column: 'sealed_secret' }],
    }),
  ],
  controllers: [
    RegisterEvaluatorController,
    ReadEvaluatorController,
    CertifyController,
    RevokeCertificateController,
    VoidCertificateController,
    VerifyCertificateController,
    GetTraineeLadderController,
    GetDistributionController,
    ListCertificatesController,
    CredentialsController,
    CertificationReplicaConsumers,
    ...traineeReplica.controllers,
    ...traineeRelations.controllers,
    ...importRows.controllers,
  ],
  providers: [
    RegisterEvaluatorHandler,
    CertifyHandler,
    RevokeCertificateHandler,
    VoidCertificateHandler,
    ImportedCertificateRows,
    CertificateNumbers,
    PublicCertificates,
    WrongNameBound,
    Employments,
    ...credentialsProviders,
    ...traineeReplica.providers,
    ...traineeRelations.providers,
    ...importRows.providers,
  ],
})
export class CertificationModule {}
