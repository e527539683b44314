import { Projection } from '@skills/event-sourcing';
import { RuntimeConfig } from '@skills/service-runtime';
import { EvaluatorEvent } from '../../evaluators/evaluator.aggregate';
import { LadderEvent } from '../../ladder/ladder.aggregate';
import { SigningKeys } from '../keys/signing-keys';
import { credentialSigner } from '../signing/credential-signer';
import { credentialOf } from './credential-document';
import { StatusLists } from './status-lists';

/**
 * The signed credential of every certificate (`certificate_credentials`), made off the command's path:
 * a certification commits without waiting for it, and the credential follows as this projection reads
 * the log. An evaluator's registration makes its first signing key; a revocation sets the certificate's
 * entry in its evaluator's status list and signs the list again (the credential itself stays as issued).
 * A rebuild signs again with the same holder ids and status entries (StatusLists.allocate).
 */
export function credentialsProjection(config: Pick<RuntimeConfig, 'publicOrigin'>): Projection<LadderEvent | EvaluatorEvent> {
  const keys = new SigningKeys(credentialSigner, config.publicOrigin);
  const lists = new StatusLists(credentialSigner, keys, config.publicOrigin);
  return {
    name: 'certificate-credentials',
    table: 'certificate_credentials',
    async createTable(tx, table) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        certificate_number text PRIMARY KEY,
        evaluator_id uuid NOT NULL,
        credential jsonb NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      )`);
    },
    async apply(tx, table, event) {
      switch (event.type) {
        case 'EvaluatorRegistered':
          await keys.current(tx, event.data.evaluatorId);
          return;
        case 'LevelCertified': {
          const certificate = event.data;
          const allocation = await lists.allocate(tx, certificate.certificateNumber, certificate.evaluatorId, event.recordedAt);
          // Dated by the certification's record, not by the signing: a rebuild (or a restore) signs the very same credential.
          const signed = await credentialSigner.sign(credentialOf(config.publicOrigin, certificate, allocation), await keys.at(tx, certificate.evaluatorId, event.recordedAt), event.recordedAt);
          await tx.query(`INSERT INTO ${table} (certificate_number, evaluator_id, credential) VALUES ($1, $2, $3) ON CONFLICT (certificate_number) DO NOTHING`, [
            certificate.certificateNumber,
            certificate.evaluatorId,
            JSON.stringify(signed),
          ]);
          return;
        }
        case 'CertificateRevoked':
          await lists.revoke(tx, event.data.certificateNumber, event.recordedAt);
          return;
      }
    },
  };
}
