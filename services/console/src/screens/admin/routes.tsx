import { Navigate, Route } from 'react-router';
import type { WorkspaceLink } from '../../layout/workspace-link';
import type { Me } from '../../session/session-context';
import { holdsApiKeys, managesSigningKeys, managesUsers, readsAudit, RequireAdministration } from './admin-access';
import { ApiKeysPage } from './api-keys';
import { AuditPage } from './audit';
import { OrganisationsPage } from './organisations';
import { SigningKeysPage } from './signing-keys';
import { UsersPage } from './users';

/** Administration's links, each shown to those its page is for (the same checks as its route's). */
const ADMIN_LINKS: (WorkspaceLink & { for(me: Me): boolean })[] = [
  { to: '/admin/organisations', label: 'nav.adminOrganisations', for: managesUsers },
  { to: '/admin/users', label: 'nav.adminUsers', for: managesUsers },
  { to: '/admin/api-keys', label: 'nav.adminApiKeys', for: holdsApiKeys },
  { to: '/admin/signing-keys', label: 'nav.adminSigningKeys', for: managesSigningKeys },
  { to: '/admin/audit', label: 'nav.adminAudit', for: readsAudit },
];

export const adminLinksFor = (me: Me): WorkspaceLink[] => ADMIN_LINKS.filter((link) => link.for(me)).map(({ to, label }) => ({ to, label }));

/**
 * Who sees which page (domain.md section 9): organisations and users those who manage users (a platform
 * admin, a bureau officer for its region, an organisation's administrator); API keys every staff user
 * (their own); the token-signing keys a platform admin; the audit log a platform admin and an
 * organisation's administrator. Anyone else is told the page is not for their role.
 */
export const adminRoutes = (
  <>
    <Route element={<RequireAdministration allows={managesUsers} />}>
      <Route path="/admin" element={<Navigate to="/admin/users" replace />} />
      <Route path="/admin/organisations" element={<OrganisationsPage />} />
      <Route path="/admin/users" element={<UsersPage />} />
    </Route>
    <Route element={<RequireAdministration allows={holdsApiKeys} />}>
      <Route path="/admin/api-keys" element={<ApiKeysPage />} />
    </Route>
    <Route element={<RequireAdministration allows={managesSigningKeys} />}>
      <Route path="/admin/signing-keys" element={<SigningKeysPage />} />
    </Route>
    <Route element={<RequireAdministration allows={readsAudit} />}>
      <Route path="/admin/audit" element={<AuditPage />} />
    </Route>
  </>
);
