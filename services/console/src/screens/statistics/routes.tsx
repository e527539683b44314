import { lazy } from 'react';
import { Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';
import './statistics.css';

// Loads ECharts with it, as the other pages with charts do (app.tsx): nobody else downloads it.
const StatisticsPage = lazy(() => import('./statistics').then((module) => ({ default: module.StatisticsPage })));
const OutcomesPage = lazy(() => import('./outcomes').then((module) => ({ default: module.OutcomesPage })));

/** A bureau's statistics, in the navigation of bureau officers and platform admins (statistics:read-region). */
export const statisticsLink: WorkspaceLink = { to: '/statistics', label: 'nav.statistics' };

/** A school's own graduates and their employment, in school staff's navigation (statistics:read-outcomes, its own school's alone). */
export const outcomesLink: WorkspaceLink = { to: '/statistics/outcomes', label: 'nav.outcomes' };

export const statisticsRoutes = (
  <>
    <Route element={<RequireRole roles={['bureau_officer', 'platform_admin']} />}>
      <Route path="/statistics" element={<StatisticsPage />} />
    </Route>
    {/* The page reads the signed-in school's own outcomes: a bureau reads a school's through the API. */}
    <Route element={<RequireRole roles={['school_staff']} />}>
      <Route path="/statistics/outcomes" element={<OutcomesPage />} />
    </Route>
  </>
);
