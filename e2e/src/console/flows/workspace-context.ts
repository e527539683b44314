import { Role } from '@skills/contracts';
import { TestHost } from '@skills/testing';
import { Page } from 'playwright-core';
import { Locale } from '../browser';

/** The role the second platform of hostRequiringTotp asks a second factor of (REQUIRE_TOTP_ROLES): only its flow's users have it there. */
export const ROLE_REQUIRING_TOTP: Role = 'employer_staff';

/** What a workspace's browser flow is given by e2e/src/console-workspaces.e2e-spec.ts: one platform, one browser. */
export interface WorkspaceContext {
  host: TestHost;
  /** The platform's database, for what only a test does there (holding an import job as another replica's runner would). */
  databaseUrl: string;
  /** The first admin's access token (platform_admin), for the data a flow sets up through the API. */
  adminToken: string;
  /** A fresh browser context (its own cookies and storage) and page; a phone's viewport when asked. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** A new user made by the admin through the API: their username and password, to sign in with on the page. */
  newUser(user: { role: Role; organisationId?: string; traineeId?: string; orgAdmin?: boolean }): Promise<{ username: string; password: string; userId: string }>;
  /** Signs in through the sign-in page and switches to `locale`. */
  signIn(page: Page, user: { username: string; password: string }, locale: Locale): Promise<void>;
  /**
   * A second platform serving the console, with its own database, whose identity asks a second factor of
   * every ROLE_REQUIRING_TOTP user (REQUIRE_TOTP_ROLES): set on the shared platform, it would stop the other
   * flows' users of that role. Started on the first call, shared by the flows that call it, closed with the suite.
   */
  hostRequiringTotp(): Promise<TestHost>;
  /** No untranslated key and no serious or critical axe-core violation in both modes; screenshots when `shot` is named. */
  checkPage(page: Page, locale: Locale, shot?: string): Promise<void>;
}
