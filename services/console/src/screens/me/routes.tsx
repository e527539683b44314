import { Navigate, Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';
import { MyArchivePage } from './my-archive';
import { MyCertificatesPage } from './my-certificates';
import { ErasedPage, MyDetailsPage } from './my-details';
import { MyLadderPage } from './my-ladder';
import './me.css';

/** A trainee's own pages: their archive, their ladder per occupation with history, their certificates, their personal details. */
export const traineeLinks: WorkspaceLink[] = [
  { to: '/me/archive', label: 'nav.myArchive' },
  { to: '/me/ladder', label: 'nav.myLadder' },
  { to: '/me/certificates', label: 'nav.myCertificates' },
  { to: '/me/details', label: 'nav.myDetails' },
];

export const traineeRoutes = (
  <>
    <Route element={<RequireRole roles={['trainee']} />}>
      <Route path="/me" element={<Navigate to="/me/archive" replace />} />
      <Route path="/me/archive" element={<MyArchivePage />} />
      <Route path="/me/ladder" element={<MyLadderPage />} />
      <Route path="/me/certificates" element={<MyCertificatesPage />} />
      <Route path="/me/details" element={<MyDetailsPage />} />
    </Route>
    {/* Public: once the personal data is erased the trainee's account is closed, and the page saying so is seen signed out. */}
    <Route path="/me/erased" element={<ErasedPage />} />
  </>
);
