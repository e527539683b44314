import { Navigate, Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';

/** The employer's workspace: its placements and hires, its employments; the public board is for everyone. */
export const employerLinks: WorkspaceLink[] = [
  { to: '/employer/placements', label: 'nav.employerPlacements' },
  { to: '/employer/employments', label: 'nav.employerEmployments' },
];

/** The public board of open placements (with the wage and level insight), in every visitor's navigation. */
export const boardLink: WorkspaceLink = { to: '/placements', label: 'nav.placementsBoard' };

export const employerRoutes = (
  <>
    <Route element={<RequireRole roles={['employer_staff']} />}>
      <Route path="/employer" element={<Navigate to="/employer/placements" replace />} />
    </Route>
  </>
);
