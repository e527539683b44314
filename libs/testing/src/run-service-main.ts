import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * A service's own main (`services/<service>/src/main.ts`), as a container runs it, with only `env` and
 * PATH in its environment (PORT 0, in-process, LOG_LEVEL warn unless given): its exit code and what it
 * said, once it exits or has run for 60 s (then killed, its code null).
 */
export function runServiceMain(service: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', './tools/register.js', `services/${service}/src/main.ts`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', TRANSPORT: 'in-process', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
