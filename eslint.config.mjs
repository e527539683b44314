// Flat ESLint config for the whole workspace. Every Nx project gets an inferred `lint` target
// from @nx/eslint/plugin (nx.json), so there are no per-project configs.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier/flat';

// ---------------------------------------------------------------------------------------------
// Module boundaries (docs/style.md item 7). Tags live in each project.json on two axes:
// `type:*` (what a project is) and `scope:*` (which bounded context owns it).
// ---------------------------------------------------------------------------------------------

// Frameworks, persistence and transport stay out of domain code and contracts.
const frameworkImports = ['@nestjs/*', 'typeorm', 'kafkajs', 'pg', 'express'];

// Test files (*.spec.ts, *.int-spec.ts, *.e2e-spec.ts) may also use the test infrastructure.
const depConstraints = ({ inTests }) => {
  const plusTesting = (tags) => (inTests ? [...tags, 'type:testing'] : tags);
  return [
    {
      sourceTag: 'type:domain',
      onlyDependOnLibsWithTags: plusTesting(['type:domain']),
      bannedExternalImports: frameworkImports,
    },
    {
      sourceTag: 'type:contracts',
      onlyDependOnLibsWithTags: plusTesting(['type:contracts', 'type:domain']),
      bannedExternalImports: frameworkImports,
    },
    {
      sourceTag: 'type:infra',
      onlyDependOnLibsWithTags: plusTesting(['type:infra', 'type:contracts', 'type:domain']),
    },
    // The infrastructure libraries are layered by what they own: postgres (pool, transactions,
    // migrations, embedded server) < event-sourcing (store, pipeline, outbox, projections) < messaging
    // (transports, inbox, dead letters, correlation) < service-runtime (hosts, HTTP, idempotency).
    { sourceTag: 'layer:postgres', onlyDependOnLibsWithTags: plusTesting(['layer:postgres']) },
    { sourceTag: 'layer:event-sourcing', onlyDependOnLibsWithTags: plusTesting(['layer:postgres', 'layer:event-sourcing', 'type:contracts', 'type:domain']) },
    {
      sourceTag: 'layer:messaging',
      onlyDependOnLibsWithTags: plusTesting(['layer:postgres', 'layer:event-sourcing', 'layer:messaging', 'type:contracts', 'type:domain']),
    },
    {
      // A service never imports another service: it reads their events through libs/contracts.
      sourceTag: 'type:service',
      onlyDependOnLibsWithTags: ['type:infra', 'type:contracts', 'type:domain', 'type:testing'],
      notDependOnLibsWithTags: ['type:service'],
    },
    {
      // Hosts (platform, gateway) compose the service modules.
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: ['*'],
    },
    {
      // The web console runs in a browser: it shares only the domain kernel's pure rules (identity numbers).
      sourceTag: 'type:ui',
      onlyDependOnLibsWithTags: ['type:domain'],
    },
    {
      sourceTag: 'type:testing',
      onlyDependOnLibsWithTags: ['type:infra', 'type:domain', 'type:contracts'],
    },
  ];
};

const boundaries = ({ inTests, allow = [] }) => [
  'error',
  {
    allow,
    // A test of a shared lib importing @skills/testing closes a loop (testing -> lib -> testing)
    // in the project graph. Tags still stop production code in a lib from importing testing.
    ignoredCircularDependencies: [
      ['testing', 'tag:type:domain'],
      ['testing', 'tag:type:contracts'],
      ['testing', 'tag:type:infra'],
    ],
    depConstraints: depConstraints({ inTests }),
  },
];

const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'];

// Aggregates are pure decide/evolve functions; this is the in-project counterpart of the
// bannedExternalImports above, for domain code that lives inside a service.
const serviceDomainFiles = ['services/*/src/**/*.aggregate.ts', 'services/*/src/**/domain/**/*.ts'];
const serviceDomainRestriction = [
  'error',
  {
    patterns: [
      {
        regex: '^(@nestjs/.*|typeorm|kafkajs|pg|express|@skills/event-sourcing|@skills/messaging)(/.*)?$',
        message:
          'Aggregates are pure decide/evolve functions: no framework, persistence or messaging imports in domain code. ' +
          'Load, append and publish in the command handler instead.',
      },
    ],
  },
];

// "Now" comes from the injected Clock (libs/domain-kernel clock.ts) that the command pipeline hands to
// every aggregate's decide, so tests can fix "today". Services' own code never reads the wall clock.
// Not the console: a browser has no injected clock, and its "today" is the clerk's own.
const serviceCodeFiles = ['services/*-service/src/**/*.ts'];
const wallClockRestriction = [
  'error',
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read "now" from the injected Clock (CLOCK from @skills/service-runtime), or take it as `now` in an aggregate’s decide: tests fix the clock.',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Read "now" from the injected Clock (CLOCK from @skills/service-runtime), or take it as `now` in an aggregate’s decide: tests fix the clock.',
  },
];

export default [
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '**/.nx/**', '**/__fixtures__/**'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts', '**/*.mts', '**/*.js', '**/*.jsx', '**/*.cjs', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ inTests: false }),
      '@typescript-eslint/no-unused-vars': [
        'warn',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ inTests: true }),
    },
  },
  {
    // Services are Nx applications (they have a main.ts) and the rule refuses any import of an
    // application ("Imports of apps are forbidden"), before tags are looked at. The all-in-one host
    // composes the service modules by design, so only there is a `@skills/<name>-service` import let
    // through; and in e2e/, whose flows across services start them side by side (with the gateway in
    // front, and the platform's demo loader). Elsewhere that check stays on.
    files: ['services/platform/**/*'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ inTests: false, allow: ['^@skills/[a-z0-9-]+-service$'] }),
    },
  },
  {
    files: ['e2e/**/*'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries({ inTests: true, allow: ['^@skills/[a-z0-9-]+-service$', '^@skills/gateway$', '^@skills/platform$', '^@skills/console$'] }),
    },
  },
  {
    files: serviceDomainFiles,
    rules: {
      'no-restricted-imports': serviceDomainRestriction,
    },
  },
  {
    files: serviceCodeFiles,
    ignores: testFiles,
    rules: {
      'no-restricted-syntax': wallClockRestriction,
    },
  },
  {
    // CommonJS helpers (jest config, tools/*.js) run under plain Node.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  prettier,
];
