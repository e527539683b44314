import express, { Express, NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The console's administration pages (services/console/src/screens/admin/routes.tsx): `/admin` itself, which leads to one of them, and these. */
const ADMIN_PAGES = 'admin(/(organisations|users|api-keys|signing-keys|audit)(/.*)?)?';
/**
 * Paths that belong to the API and the platform, never to the console (api.md "Identity and access"); but
 * for the console's administration pages, beside the operators' `/admin/*` endpoints (none of these names).
 */
const NOT_THE_CONSOLE = new RegExp(`^/(?!${ADMIN_PAGES}$)(api|oauth|\\.well-known|health|metrics|admin|internal)(/|$)`);
/** The console's own pages (services/console/src/app.tsx): index.html whatever the client accepts, `curl /` included. */
const CONSOLE_PAGES = new RegExp(`^/((sign-in|verify|school|bureau|trainees|evaluator|employer|placements|me)(/.*)?|${ADMIN_PAGES})?$`);

/**
 * The web console's static files (the Vite build in dist/console) at `/`, as the all-in-one host and the
 * gateway serve them. Hashed assets are cached for a year; index.html is never cached, so a new build
 * reaches browsers at once. A GET of one of the console's pages (`/`, `/verify/Z…`, `/school/courses/…`)
 * gets index.html, and the console's router shows it; so does any other path a browser asks for as HTML
 * (the console says it is not found). API paths keep their own 404, and so does any other path asked for
 * by something that does not prefer HTML (a script's fetch, which takes any type).
 */
export function serveConsole(app: Express, directory: string): void {
  const index = join(directory, 'index.html');
  app.use(
    '/assets',
    // What is not there (a name of an older build, a path it cannot read such as /assets/%ZZ) falls through
    // to the 404 below, the same problem in the all-in-one and at the gateway; passed on as serve-static's
    // error it would name the file's place on the server's disk.
    express.static(join(directory, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: true }),
    (_request: Request, response: Response) =>
      response.status(404).type('application/problem+json').send(JSON.stringify({ type: 'urn:skills:not-found', title: 'Not found', status: 404, detail: 'no such file of the web console' })),
  );
  // index.html through an app of its own, whose `etag` setting is its own (on, weak): res.sendFile takes the
  // app's, which the API's is not (configureHttp answers no ETag), and a browser revalidates the page by it.
  const pages = express();
  pages.disable('x-powered-by');
  pages.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_THE_CONSOLE.test(request.path)) return next();
    if (!CONSOLE_PAGES.test(request.path) && request.accepts(['json', 'html']) !== 'html') return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
  app.use(pages);
}

/** Where `nx run console:build` puts the console, from the repository root. */
export const BUILT_CONSOLE_DIR = join(process.cwd(), 'dist', 'console');

/** Whether a console build is there to serve. */
export const consoleIsBuilt = (directory: string) => existsSync(join(directory, 'index.html'));
