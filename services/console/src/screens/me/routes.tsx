import { Navigate, Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';
import { MyArchivePage } from './my-archive';
import { MyCertificatesPage } from './my-certificates';
import { MyLadderPage } from './my-ladder';
import './me.css';

/** A trainee's own pages: their archive, their ladder per occupation with history, their certificates. */
export const traineeLinks: WorkspaceLink[] = [
  { to: '/me/archive', label: 'nav.myArchive' },
  { to: '/me/ladder', label: 'nav.myLadder' },
  { to: '/me/certificates', label: 'nav.myCertificates' },
];

export const traineeRoutes = (
  <Route element={<RequireRole roles={['trainee']} />}>
    <Route path="/me" element={<Navigate to="/me/archive" replace />} />
    <Route path="/me/archive" element={<MyArchivePage />} />
    <Route path="/me/ladder" element={<MyLadderPage />} />
    <Route path="/me/certificates" element={<MyCertificatesPage />} />
  </Route>
);
