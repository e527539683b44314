import { Navigate, Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';
import { PlacementsBoardPage } from './board';
import { EmployerEmploymentsPage } from './employments';
import { EmployerPlacementPage } from './placement';
import { EmployerPlacementsPage } from './placements';

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
      <Route path="/employer/placements" element={<EmployerPlacementsPage />} />
      <Route path="/employer/placements/:id" element={<EmployerPlacementPage />} />
      <Route path="/employer/employments" element={<EmployerEmploymentsPage />} />
    </Route>
    {/* Public: anyone, signed in or not, sees the board (the API's GET /placements is public too). */}
    <Route path="/placements" element={<PlacementsBoardPage />} />
  </>
);
