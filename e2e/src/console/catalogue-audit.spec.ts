// Every action and service the audit log can show (screens/admin/audit.tsx) has words in both of the
// console's catalogues: an administrator reads 学员报名 and 培训, not EnrollTrainee and training. They are
// read from the services themselves, so a command, an audited read or a service added later fails here
// until the catalogues say it.
import 'reflect-metadata';
import '@skills/brand-service';
import '@skills/certification-service';
import '@skills/identity-service';
import '@skills/placement-service';
import '@skills/trainee-service';
import '@skills/training-service';
import { en, zhCN } from '@skills/console';
import { declaredServices } from '@skills/service-runtime';
import { libsDir, serviceSourceDirs, services, SourceFile, sourceCode } from './service-source';

/**
 * The type of every command the services decide, as the command pipeline audits a user's command
 * (libs/event-sourcing/src/audit-trail.ts: `action` is the command's `type`): each aggregate's
 * `decide(command: CourseCommand, …)`, its union (`CourseCommand = ScheduleCourse | EnrollTrainee | …`)
 * unfolded to each member's `type: 'EnrollTrainee'`; and each command a handler or consumer writes in
 * place (`command: { type: 'RegisterEmployer', … }`). The platform's own commands (an archive entry, a
 * statistics fact, an import's row: `via: system`) are not audited today; they are read too, since which
 * caller sends a command is not in its type.
 */
function commandTypes(files: SourceFile[]): { decided: string[]; written: string[] } {
  const literalOf = new Map<string, string>();
  const membersOf = new Map<string, string[]>();
  const decidedTypes = new Set<string>();
  const written = new Set<string>();
  for (const { code } of files) {
    for (const [, name, literal] of code.matchAll(/\binterface (\w+)(?: extends [^{]+)? \{\s*type: '(\w+)'/g)) literalOf.set(name, literal);
    for (const [, name, union] of code.matchAll(/\btype (\w+) = ([\w\s|]+);/g)) membersOf.set(name, union.split('|').map((member) => member.trim()).filter(Boolean));
    for (const [, name] of code.matchAll(/\bdecide\s*(?::\s*)?\(\s*command: (\w+)/g)) decidedTypes.add(name);
    for (const [, literal] of code.matchAll(/\bcommand: \{\s*type: '(\w+)'/g)) written.add(literal);
  }
  const unfold = (name: string): string[] => {
    const literal = literalOf.get(name);
    if (literal) return [literal];
    const members = membersOf.get(name);
    if (members) return members.flatMap(unfold);
    throw new Error(`${name}, the command of an aggregate's decide, is neither an interface with its \`type: '…'\` nor a union of such: teach this spec to read it`);
  };
  return { decided: [...decidedTypes].flatMap(unfold), written: [...written] };
}

/**
 * The permission of every audited read of a trainee's personal data (libs/service-runtime AuditTrail:
 * `action` is the permission): each `this.<audit>.read(caller, 'trainees:read', …)` of a class that
 * holds an AuditTrail. A permission that is no string literal could not be checked: refused here.
 */
function auditedReads(files: SourceFile[]): string[] {
  return files.flatMap(({ file, code }) =>
    [...code.matchAll(/(\w+): AuditTrail\b/g)].flatMap(([, property]) =>
      [...code.matchAll(new RegExp(`\\.${property}\\.read\\(([^;]*)`, 'g'))].map(([, args]) => {
        const permission = args.match(/^[^,]+,\s*'([a-z-]+:[a-z-]+)'/);
        if (!permission) throw new Error(`${file}: an audited read names its permission as a string literal, found read(${args.slice(0, 80)}`);
        return permission[1];
      }),
    ),
  );
}

const words = (key: string) => [(zhCN as Record<string, string>)[key], (en as Record<string, string>)[key]];
/** Words in both catalogues, the Chinese ones in Chinese (not the code word copied). */
const sayable = (key: string) => {
  const [chinese, english] = words(key);
  return typeof english === 'string' && english.trim().length > 0 && typeof chinese === 'string' && /\p{Script=Han}/u.test(chinese);
};
const unsaid = (family: 'auditAction' | 'auditService', names: string[]) => [...new Set(names)].filter((name) => !sayable(`${family}.${name}`)).sort();

describe("the console's catalogues say every action and service of the audit log", () => {
  const files = sourceCode(serviceSourceDirs);

  it('each command the services decide, as the command pipeline audits it (auditAction.<command type>)', () => {
    const { decided, written } = commandTypes(files);
    // One of each way a command is found: a pattern that stops matching fails here, not silently.
    expect(decided).toEqual(expect.arrayContaining(['EnrollTrainee', 'CreateUser', 'RegisterBureau', 'Certify', 'HireTrainee', 'RegisterEvaluator', 'RecordStatisticsFact']));
    expect(written).toEqual(expect.arrayContaining(['RegisterEmployer', 'WithdrawVoidedTrainee']));
    expect(new Set(decided).size).toBeGreaterThan(30);
    // Every decide the services define is read: one written another way (`decide(cmd: …)`) fails here, not silently.
    const definitions = files.flatMap(({ file, code }) => [...code.matchAll(/(?:^|[^.\w])decide\s*(?::\s*)?\(([^)]*)/gm)].map(([, parameters]) => ({ file, parameters })));
    expect(definitions.length).toBeGreaterThanOrEqual(12);
    expect(definitions.filter(({ parameters }) => !/^\s*command: \w+/.test(parameters)).map(({ file }) => file)).toEqual([]);
    expect(unsaid('auditAction', [...decided, ...written])).toEqual([]);
  });

  it("each permission a read of a trainee's personal data is audited under (auditAction.<permission>)", () => {
    const reads = auditedReads([...files, ...sourceCode([libsDir])]);
    expect(reads).toEqual(expect.arrayContaining(['trainees:read', 'trainees:lookup', 'trainees:read-archive']));
    expect(unsaid('auditAction', reads)).toEqual([]);
  });

  it('each service that writes the log, by the name it writes (auditService.<name>: its schema, the ServiceDefinition name)', () => {
    const names = declaredServices().map((service) => service.name);
    // Every service folder's module is imported above and declared its service.
    expect(names).toHaveLength(services.length);
    expect(names).toEqual(expect.arrayContaining(['identity', 'trainee', 'training']));
    expect(unsaid('auditService', names)).toEqual([]);
  });

  it('reads every writer of the log: only the command pipeline (the command type) and AuditTrail (the permission) write a line', () => {
    const writers = sourceCode()
      .filter(({ code }) => /\b(?:auditMessage|commandAuditMessage)\(/.test(code))
      .map(({ file }) => file)
      .sort();
    // A new writer names its action some other way: read its actions above, then add it here.
    expect(writers).toEqual([
      'libs/event-sourcing/src/audit-trail.ts',
      'libs/event-sourcing/src/command-pipeline.ts',
      'libs/event-sourcing/src/decide-all.ts',
      'libs/event-sourcing/src/start-streams.ts',
      'libs/service-runtime/src/audit/audit-trail.ts',
    ]);
  });
});
