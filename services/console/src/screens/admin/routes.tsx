import { Navigate, Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';

/** Administration: a platform admin's, and an organisation administrator's (orgAdmin) for its own organisation. */
export const adminLinks: WorkspaceLink[] = [
  { to: '/admin/organisations', label: 'nav.adminOrganisations' },
  { to: '/admin/users', label: 'nav.adminUsers' },
  { to: '/admin/api-keys', label: 'nav.adminApiKeys' },
  { to: '/admin/audit', label: 'nav.adminAudit' },
];

export const adminRoutes = (
  <Route element={<RequireRole roles={['platform_admin', 'school_staff', 'evaluator_staff', 'employer_staff', 'bureau_officer']} />}>
    <Route path="/admin" element={<Navigate to="/admin/users" replace />} />
  </Route>
);
