import { SERVICE_NAMES, ServiceName, serviceUrlVariable } from '@skills/contracts';
import { BUILT_CONSOLE_DIR, consoleIsBuilt, loadHttpSettings } from '@skills/service-runtime';
import { join } from 'node:path';
import { createGateway } from './gateway';

/** The gateway: PORT (3000), one <SERVICE>_URL per service, e.g. TRAINEE_SERVICE_URL=http://trainee-service:3001, and the HTTP settings (CORS_ORIGINS, RATE_LIMIT_PER_ADDRESS_PER_MINUTE), CONSOLE_DIR. */
function main() {
  const problems: string[] = [];
  const urls = Object.fromEntries(
    SERVICE_NAMES.map((name) => {
      const variable = serviceUrlVariable(name);
      const url = process.env[variable] ?? '';
      if (!/^https?:\/\/[^\s]+$/.test(url)) problems.push(`${variable} must be the service's http:// base URL (got "${url}")`);
      return [name, url.replace(/\/$/, '')];
    }),
  ) as Record<ServiceName, string>;
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be an integer from 0 to 65535 (got "${process.env.PORT}")`);
  const settings = loadHttpSettings(process.env, problems);
  if (problems.length > 0) {
    console.error(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    process.exit(1);
  }
  // The web console: CONSOLE_DIR, else beside the compiled gateway (the image, see Dockerfile), else the repository's build.
  const consoleDir = process.env.CONSOLE_DIR ?? [join(__dirname, 'console'), BUILT_CONSOLE_DIR].find(consoleIsBuilt);
  if (!consoleDir) console.warn('gateway: no built web console (CONSOLE_DIR, or run `npx nx run console:build`): serving the API only');
  const server = createGateway(urls, settings, consoleDir).listen(port, () => console.log(`gateway listening on http://localhost:${port} (the console at /, API docs at /api/docs)`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
