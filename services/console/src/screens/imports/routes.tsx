import { Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';
import type { Me } from '../../session/session-context';
import { ImportJobPage } from './job';
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

/** The import pages in the user's navigation, after their workspace's own links. */
export const importLinksFor = (me: Me): WorkspaceLink[] => (KINDS_OF[me.role] ?? []).map((kind) => ({ to: uploadPath(kind), label: `imports.kind.${kind}` }));

export const importRoutes = (
  <>
    {(['trainees', 'enrolments_and_results', 'certificates'] as const).map((kind) => (
      <Route key={kind} element={<RequireRole roles={rolesImporting(kind)} />}>
        <Route path={uploadPath(kind)} element={<UploadPage kind={kind} />} />
      </Route>
    ))}
    <Route element={<RequireRole roles={Object.keys(KINDS_OF) as Me['role'][]} />}>
      <Route path="/imports/:id" element={<ImportJobPage />} />
    </Route>
  </>
);
