import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { usePageTitle } from '../components/use-page-title';
import { useI18n } from '../i18n/i18n';
import { adminLinksFor } from '../screens/admin/routes';
import { BRAND_REGISTER_PATH } from '../screens/bureau/brand-register';
import { boardLink, employerLinks } from '../screens/employer/routes';
import { evaluatorLinks } from '../screens/evaluator/routes';
import { importLinksFor } from '../screens/imports/routes';
import { traineeLinks } from '../screens/me/routes';
import { outcomesLink, statisticsLink } from '../screens/statistics/routes';
import { usePreferences } from '../session/preferences';
import { useSession, type Me } from '../session/session-context';
import { currentLinkOf, type WorkspaceLink } from './workspace-link';

/** The brands a school or employer builds (domain.md section 9: its staff read them), on the bureau's brand pages, read-only. */
const unitBrandsLink: WorkspaceLink = { to: '/bureau/brands', label: 'nav.unitBrands' };

/** The links of each role's workspace, then the administration pages the user may use. */
const NAVIGATION: Partial<Record<Me['role'], WorkspaceLink[]>> = {
  school_staff: [
    { to: '/school/trainees', label: 'nav.trainees' },
    { to: '/school/courses', label: 'nav.courses' },
    unitBrandsLink,
    outcomesLink,
  ],
  bureau_officer: [
    { to: '/bureau/brands', label: 'nav.brands' },
    { to: BRAND_REGISTER_PATH, label: 'brandRegister.nav' },
    { to: '/bureau/distribution', label: 'nav.distribution' },
    statisticsLink,
  ],
  evaluator_staff: evaluatorLinks,
  employer_staff: [...employerLinks, unitBrandsLink],
  trainee: traineeLinks,
  platform_admin: [
    { to: '/school/trainees', label: 'nav.trainees' },
    { to: '/bureau/brands', label: 'nav.brands' },
    { to: '/bureau/distribution', label: 'nav.distribution' },
    statisticsLink,
  ],
};

const linksOf = (me: Me): WorkspaceLink[] => [...(NAVIGATION[me.role] ?? []), ...importLinksFor(me), ...adminLinksFor(me)];

export function Layout({ children }: { children: ReactNode }) {
  const { t, locale } = useI18n();
  const { me, signOut } = useSession();
  const { preferences, change, unsaved } = usePreferences();
  const navigate = useNavigate();
  const links = me ? linksOf(me) : [];
  const currentLink = currentLinkOf(useLocation().pathname, links);
  const focusOnNewPage = useFocusOnNewPage();
  usePageTitle(focusOnNewPage);
  const menu = useMenu();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('layout.skipToContent')}
      </a>
      <header className="site-header">
        <Link to="/" className="brand-name">
          {t('app.name')}
        </Link>
        <nav aria-label={t('layout.mainNavigation')} onKeyDown={menu.closeOnEscape}>
          {/* On a phone the links fold behind this button (styles.css hides it on a wider screen, where they always show): the page's heading stays on the first screen. */}
          <button type="button" className="menu-button" ref={menu.button} aria-expanded={menu.open} aria-controls={MENU_ID} onClick={menu.toggle}>
            {t('layout.menu')}
          </button>
          <ul className="nav-links" id={MENU_ID} data-open={menu.open}>
            {links.map((link) => (
              <li key={link.to}>
                {/* end: the closest link alone is current (currentLinkOf), not every link the path is under. */}
                <NavLink to={link.to} end={link.to !== currentLink}>
                  {t(link.label)}
                </NavLink>
              </li>
            ))}
            <li>
              <NavLink to={boardLink.to}>{t(boardLink.label)}</NavLink>
            </li>
            <li>
              <NavLink to="/verify" end>
                {t('nav.verify')}
              </NavLink>
            </li>
          </ul>
        </nav>
        <div className="header-tools">
          <button type="button" lang={locale === 'en' ? 'zh-CN' : 'en'} onClick={() => change({ locale: locale === 'en' ? 'zh-CN' : 'en' })}>
            {t('layout.switchLanguage')}
          </button>
          <button type="button" aria-pressed={preferences.elderMode} onClick={() => change({ elderMode: !preferences.elderMode })}>
            {t('layout.elderMode')}
          </button>
          {me ? (
            <>
              <span className="who">{t('layout.signedInAs', { username: me.username })}</span>
              {/* One's own account, beside one's name: every role may change their password. */}
              <NavLink className="button-link" to="/me/password">
                {t('myPassword.link')}
              </NavLink>
              <button
                type="button"
                onClick={() => {
                  signOut();
                  navigate('/sign-in');
                }}
              >
                {t('layout.signOut')}
              </button>
            </>
          ) : (
            <Link className="button-link" to="/sign-in">
              {t('layout.signIn')}
            </Link>
          )}
        </div>
        {/* Said beside the switch that was pressed: the change shows, but does not follow the user to another device yet. */}
        {unsaved && (
          <p role="status" className="header-note">
            {t('layout.preferencesUnsaved')}
          </p>
        )}
      </header>
      <main id="main" tabIndex={-1} ref={focusOnNewPage}>
        {children}
      </main>
    </>
  );
}

const MENU_ID = 'main-navigation-links';

/** The folded navigation of a phone: closed at first and again on every new page; Escape closes it back to its button. */
function useMenu() {
  const { pathname } = useLocation();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => setOpen(false), [pathname]);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    setOpen(false);
    button.current?.focus();
  };
  return { open, button, toggle: () => setOpen((was) => !was), closeOnEscape };
}

/**
 * On a new page the keyboard starts at its content: not on the menu link that led there, nor at the
 * document's start where a link or button that went with the old page leaves it. A page that put the
 * focus somewhere in its content itself keeps it.
 */
function useFocusOnNewPage() {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    if (!main.current?.contains(document.activeElement)) main.current?.focus();
  }, [pathname]);
  return main;
}
