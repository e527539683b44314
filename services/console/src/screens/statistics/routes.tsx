import { lazy } from 'react';
import { Route } from 'react-router';
import { RequireRole } from '../../layout/require-role';
import type { WorkspaceLink } from '../../layout/workspace-link';
import './statistics.css';

// Loads ECharts with it, as the other pages with charts do (app.tsx): nobody else downloads it.
const StatisticsPage = lazy(() => import('./statistics').then((module) => ({ default: module.StatisticsPage })));

/** A bureau's statistics, in the navigation of bureau officers and platform admins (statistics:read-region). */
export const statisticsLink: WorkspaceLink = { to: '/statistics', label: 'nav.statistics' };

export const statisticsRoutes = (
  <Route element={<RequireRole roles={['bureau_officer', 'platform_admin']} />}>
    <Route path="/statistics" element={<StatisticsPage />} />
  </Route>
);
