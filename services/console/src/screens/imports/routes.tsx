import { Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';
import { useSession, type Me } from '../../session/session-context';
import { ImportJobPage } from './job';
import { IMPORT_JOBS_PATH, ImportJobsPage } from './jobs';
import { uploadPath, type ImportKind } from './import-kinds';
import { UploadPage } from './upload';
import './imports.css';

/**
 * Who imports what (domain.md section 9, imports): a school its trainees and its courses' enrolments and
 * results, an evaluator its own past certificates, an employer its trainees.
 */
const KINDS_OF: Partial<Record<Me['role'], ImportKind[]>> = {
  school_staff: ['trainees', 'enrolments_and_results'],
  evaluator_staff: ['certificates'],
  employer_staff: ['trainees'],
};

const rolesImporting = (kind: ImportKind) => (Object.keys(KINDS_OF) as Me['role'][]).filter((role) => KINDS_OF[role]?.includes(kind));

const uploadLinksFor = (me: Me): WorkspaceLink[] => (KINDS_OF[me.role] ?? []).map((kind) => ({ to: uploadPath(kind), label: `imports.kind.${kind}` }));

/** The import pages in the user's navigation, after their workspace's own links: each upload, then the list of jobs. */
export const importLinksFor = (me: Me): WorkspaceLink[] => {
  const uploads = uploadLinksFor(me);
  return uploads.length > 0 ? [...uploads, { to: IMPORT_JOBS_PATH, label: 'importJobs.title' }] : [];
};

/** The list, pointing an organisation that has uploaded nothing to the uploads of its role. */
function ImportJobsRoute() {
  const { me } = useSession();
  return <ImportJobsPage uploads={me ? uploadLinksFor(me) : []} />;
}

export const importRoutes = (
  <>
    {(['trainees', 'enrolments_and_results', 'certificates'] as const).map((kind) => (
      <Route key={kind} element={<RequireRole roles={rolesImporting(kind)} />}>
        <Route path={uploadPath(kind)} element={<UploadPage kind={kind} />} />
      </Route>
    ))}
    <Route element={<RequireRole roles={Object.keys(KINDS_OF) as Me['role'][]} />}>
      <Route path={IMPORT_JOBS_PATH} element={<ImportJobsRoute />} />
      <Route path="/imports/:id" element={<ImportJobPage />} />
    </Route>
  </>
);
