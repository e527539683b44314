// Proves that the boundary rules in eslint.config.mjs forbid something (docs/style.md item 7).
// Each probe is linted as if it were a file inside a real project folder; nothing is written
// to disk, the path alone tells the rule which project (and so which tags) the code belongs to.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Linter } from 'eslint';

const repoRoot = path.resolve(__dirname, '..', '..');
const BOUNDARIES = '@nx/enforce-module-boundaries';
const RESTRICTED = 'no-restricted-imports';
const WALL_CLOCK = 'no-restricted-syntax';
const wallClockFixture = readFileSync(path.join(__dirname, '__fixtures__', 'reads-the-wall-clock.ts'), 'utf8');

const probes = {
  domainImportsNest: {
    filePath: 'libs/domain-kernel/src/__boundary-probe__.ts',
    code: `import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n`,
  },
  serviceImportsService: {
    filePath: 'services/training-service/src/__boundary-probe__.ts',
    code: `import * as trainee from '@skills/trainee-service';\nexport const probe = trainee;\n`,
  },
  aggregateImportsTypeorm: {
    filePath: 'services/training-service/src/courses/course.aggregate.ts',
    code: `import { Entity } from 'typeorm';\nexport const probe = Entity;\n`,
  },
  handlerImportsEventStore: {
    filePath: 'services/training-service/src/courses/enroll-trainee/__boundary-probe__.ts',
    code: `import * as eventSourcing from '@skills/event-sourcing';\nexport const probe = eventSourcing;\n`,
  },
  domainFolderImportsMessaging: {
    filePath: 'services/training-service/src/courses/domain/__boundary-probe__.ts',
    code: `import * as messaging from '@skills/messaging';\nexport const probe = messaging;\n`,
  },
  platformImportsService: {
    filePath: 'services/platform/src/__boundary-probe__.ts',
    code: `import * as training from '@skills/training-service';\nexport const probe = training;\n`,
  },
  infraImportsTesting: {
    filePath: 'libs/event-sourcing/src/__boundary-probe__.ts',
    code: `import * as testing from '@skills/testing';\nexport const probe = testing;\n`,
  },
  serviceReadsWallClock: {
    filePath: 'services/placement-service/src/placements/post-placement/__clock-probe__.ts',
    code: wallClockFixture,
  },
  serviceTestReadsWallClock: {
    filePath: 'services/placement-service/src/placements/post-placement/__clock-probe__.spec.ts',
    code: wallClockFixture,
  },
  postgresImportsContracts: {
    filePath: 'libs/postgres/src/__boundary-probe__.ts',
    code: `import * as contracts from '@skills/contracts';\nexport const probe = contracts;\n`,
  },
  eventSourcingImportsMessaging: {
    filePath: 'libs/event-sourcing/src/__boundary-probe__.ts',
    code: `import * as messaging from '@skills/messaging';\nexport const probe = messaging;\n`,
  },
  infraTestImportsTesting: {
    filePath: 'libs/event-sourcing/src/__boundary-probe__.int-spec.ts',
    code: `import * as testing from '@skills/testing';\nexport const probe = testing;\n`,
  },
};
type Probe = keyof typeof probes;

let results: Record<Probe, Linter.LintMessage[]>;

beforeAll(() => {
  // ESLint runs in a child process, see lint-snippets.mjs for why.
  const names = Object.keys(probes) as Probe[];
  const stdout = execFileSync(process.execPath, [path.join(__dirname, 'lint-snippets.mjs')], {
    cwd: repoRoot,
    input: JSON.stringify(names.map((name) => probes[name])),
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  // Nx may log before the results; they are the last line.
  const messages: Linter.LintMessage[][] = JSON.parse(stdout.trimEnd().split('\n').at(-1) ?? '[]');
  results = Object.fromEntries(names.map((name, i) => [name, messages[i]])) as typeof results;
}, 120_000);

const errorsOf = (probe: Probe, ruleId: string) =>
  results[probe].filter((m) => m.ruleId === ruleId && m.severity === 2);

describe('module boundaries', () => {
  it('keeps frameworks out of the domain kernel (bannedExternalImports)', () => {
    const errors = errorsOf('domainImportsNest', BOUNDARIES);

    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('A project tagged with "type:domain" is not allowed to import "@nestjs/common"');
  });

  it('refuses a service importing another service', () => {
    const errors = errorsOf('serviceImportsService', BOUNDARIES);

    // Services are Nx applications, so the rule stops at "Imports of apps are forbidden" before it
    // reaches the type:service tag constraint, which takes over if they ever become libraries.
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/Imports of apps are forbidden|"type:service" can only depend on/);
  });

  it('keeps persistence out of an aggregate inside a service (no-restricted-imports)', () => {
    const errors = errorsOf('aggregateImportsTypeorm', RESTRICTED);

    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('Aggregates are pure decide/evolve functions');
  });

  it('keeps messaging out of a domain folder inside a service', () => {
    expect(errorsOf('domainFolderImportsMessaging', RESTRICTED)).toHaveLength(1);
  });

  it('lets production code of a shared lib import the test infrastructure only from tests', () => {
    expect(errorsOf('infraImportsTesting', BOUNDARIES)).toHaveLength(1);
    expect(errorsOf('infraTestImportsTesting', BOUNDARIES)).toEqual([]);
  });

  it('refuses the wall clock in service code: "now" comes from the injected Clock (fixture reads-the-wall-clock.ts)', () => {
    const errors = errorsOf('serviceReadsWallClock', WALL_CLOCK);

    expect(errors.map((error) => error.line)).toEqual([5, 6]);
    expect(errors[0].message).toContain('injected Clock');
  });

  it('lets tests read the wall clock (control for the clock rule)', () => {
    expect(errorsOf('serviceTestReadsWallClock', WALL_CLOCK)).toEqual([]);
  });

  it('keeps the libraries layered: postgres below event-sourcing below messaging', () => {
    // Allowed by type:infra alone (contracts), refused by the layer: postgres knows nothing of events.
    const postgres = errorsOf('postgresImportsContracts', BOUNDARIES);
    expect(postgres).toHaveLength(1);
    expect(postgres[0].message).toContain('"layer:postgres" can only depend on libs tagged with "layer:postgres"');
    // Upwards imports are refused too (as a cycle, since messaging builds on event-sourcing).
    expect(errorsOf('eventSourcingImportsMessaging', BOUNDARIES)).toHaveLength(1);
  });

  it.each<Probe>(['handlerImportsEventStore', 'platformImportsService'])('allows %s (control)', (probe) => {
    expect(results[probe].filter((m) => m.severity === 2)).toEqual([]);
  });
});
