import { Navigate, Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';
import { CertificatesPage } from './certificates';
import { CertifyPage } from './certify';

/** The evaluator's workspace: find a person, certify (with the dry run shown before submit), its issued certificates. */
export const evaluatorLinks: WorkspaceLink[] = [
  { to: '/evaluator/certify', label: 'nav.evaluatorCertify' },
  { to: '/evaluator/certificates', label: 'nav.evaluatorCertificates' },
];

export const evaluatorRoutes = (
  <Route element={<RequireRole roles={['evaluator_staff']} />}>
    <Route path="/evaluator" element={<Navigate to="/evaluator/certify" replace />} />
    <Route path="/evaluator/certify" element={<CertifyPage />} />
    <Route path="/evaluator/certificates" element={<CertificatesPage />} />
  </Route>
);
