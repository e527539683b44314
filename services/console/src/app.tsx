import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { I18nProvider } from './i18n/i18n';
import { Layout } from './layout/layout';
import { RequireRole } from './layout/require-role';
import { PasswordChangeFirst } from './layout/password-change-first';
import { BrandsPage } from './screens/bureau/brands';
import { BRAND_REGISTER_PATH, BrandRegisterPage } from './screens/bureau/brand-register';
import { HomePage } from './screens/home';
import { NotFoundPage } from './screens/not-found';
import { CoursePage } from './screens/school/course';
import { CoursesPage } from './screens/school/courses';
import { RegisterTraineePage } from './screens/school/register-trainee';
import { ResultsGridPage } from './screens/school/results-grid';
import { TraineesPage } from './screens/school/trainees';
import { ArchivePage } from './screens/archive/archive';
import { ActivatePage } from './screens/activate/activate';
import { MyPasswordPage } from './screens/me-password/me-password';
import { SignInPage } from './screens/sign-in/sign-in';
import { VerifyPage } from './screens/verify/verify';
import { CertificatePage } from './screens/verify/certificate';
import { PreferencesProvider, usePreferences } from './session/preferences';
import { useI18n } from './i18n/i18n';
import { SessionProvider } from './session/session-context';
import { adminRoutes } from './screens/admin/routes';
import { boardLink, employerRoutes } from './screens/employer/routes';
import { evaluatorRoutes } from './screens/evaluator/routes';
import { importRoutes } from './screens/imports/routes';
import { traineeRoutes } from './screens/me/routes';
import { statisticsRoutes } from './screens/statistics/routes';

// The pages with charts load ECharts with them: a phone verifying a certificate never downloads it.
const BrandPage = lazy(() => import('./screens/bureau/brand').then((module) => ({ default: module.BrandPage })));
const DistributionPage = lazy(() => import('./screens/bureau/distribution').then((module) => ({ default: module.DistributionPage })));

/**
 * The public pages, seen without signing in: one list, for the routes and for PasswordChangeFirst, which leaves
 * them alone (a user with a temporary password verifies a certificate as anyone does).
 */
const publicRoutes = [
  // A worker opens their own account with the activation code staff handed them.
  { path: '/activate', element: <ActivatePage /> },
  { path: '/verify', element: <VerifyPage /> },
  { path: '/verify/:number', element: <CertificatePage /> },
];
// The placements board is public too, declared with the employer's routes (/me/erased is seen signed out).
const publicPaths = [...publicRoutes.map(({ path }) => path), boardLink.to];

/** The console's pages; which workspace a signed-in user lands on follows their role (screens/home.tsx). */
export function App() {
  return (
    <SessionProvider>
      <PreferencesProvider>
        <Localised />
      </PreferencesProvider>
    </SessionProvider>
  );
}

function Localised() {
  const { preferences } = usePreferences();
  return (
    <I18nProvider locale={preferences.locale}>
      <Layout>
        <Suspense fallback={<Loading />}>
        <PasswordChangeFirst publicPaths={publicPaths}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/sign-in" element={<SignInPage />} />
          {publicRoutes.map(({ path, element }) => (
            <Route key={path} path={path} element={element} />
          ))}
          {/* Every signed-in user, whatever their role; the page itself sends the signed-out to sign in (and keeps its line once the change signed them out). */}
          <Route path="/me/password" element={<MyPasswordPage />} />
          <Route element={<RequireRole roles={['school_staff', 'platform_admin']} />}>
            <Route path="/school" element={<Navigate to="/school/trainees" replace />} />
            <Route path="/school/trainees" element={<TraineesPage />} />
          </Route>
          {/* Employers register the people they hire too (domain.md section 9, trainees:register). */}
          <Route element={<RequireRole roles={['school_staff', 'employer_staff', 'platform_admin']} />}>
            <Route path="/school/trainees/new" element={<RegisterTraineePage />} />
          </Route>
          {/* Courses and rosters are the provider's (and its bureau's, through the API): domain.md section 9. */}
          <Route element={<RequireRole roles={['school_staff']} />}>
            <Route path="/school/courses" element={<CoursesPage />} />
            <Route path="/school/courses/:id" element={<CoursePage />} />
            <Route path="/school/courses/:id/results" element={<ResultsGridPage />} />
          </Route>
          <Route element={<RequireRole roles={['school_staff', 'evaluator_staff', 'employer_staff', 'platform_admin', 'trainee']} />}>
            <Route path="/trainees/:id/archive" element={<ArchivePage />} />
          </Route>
          <Route element={<RequireRole roles={['bureau_officer', 'platform_admin']} />}>
            <Route path="/bureau" element={<Navigate to="/bureau/brands" replace />} />
            <Route path="/bureau/distribution" element={<DistributionPage />} />
          </Route>
          {/* Registering a brand is a bureau officer's alone (domain.md section 9, brands:register). */}
          <Route element={<RequireRole roles={['bureau_officer']} />}>
            <Route path={BRAND_REGISTER_PATH} element={<BrandRegisterPage />} />
          </Route>
          {/* A brand is read by its building units' staff too (domain.md section 9, brands:read): the API lists them the brands their organisation builds; only a bureau decides on one. */}
          <Route element={<RequireRole roles={['bureau_officer', 'platform_admin', 'school_staff', 'employer_staff']} />}>
            <Route path="/bureau/brands" element={<BrandsPage />} />
            <Route path="/bureau/brands/:id" element={<BrandPage />} />
          </Route>
          {evaluatorRoutes}
          {importRoutes}
          {employerRoutes}
          {traineeRoutes}
          {adminRoutes}
          {statisticsRoutes}
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
        </PasswordChangeFirst>
        </Suspense>
      </Layout>
    </I18nProvider>
  );
}

function Loading() {
  const { t } = useI18n();
  return <p role="status">{t('common.loading')}</p>;
}
