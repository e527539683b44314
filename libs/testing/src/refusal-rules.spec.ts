import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { refusalRulesOf } from './refusal-rules';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('refusalRulesOf', () => {
  it('reads every rule of every *.aggregate.ts below a folder: DomainRefusal, FieldRefusal, refuse() and refuseFutureDate()', () => {
    expect(refusalRulesOf(path.join(__dirname, '__fixtures__', 'aggregates'))).toEqual(['date_in_future', 'value_above_ten', 'value_negative', 'value_zero']);
  });

  it('refuses to read a rule whose name is built at run time (it could never be matched with a table)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'refusal-rules-'));
    writeFileSync(path.join(dir, 'tier.aggregate.ts'), 'throw new DomainRefusal(`requires_${below}_certification`, "detail");\n');
    expect(() => refusalRulesOf(dir)).toThrow('a refusal rule must be a string literal');
  });

  it('finds, in this repository, a refusal-rules HTTP spec beside every service that has aggregates', () => {
    const services = readdirSync(path.join(repoRoot, 'services')).filter((name) => refusalRulesOf(path.join(repoRoot, 'services', name)).length > 0);
    expect(services.sort()).toEqual(['brand-service', 'certification-service', 'identity-service', 'placement-service', 'trainee-service', 'training-service']);
    for (const service of services) expect(existsSync(path.join(repoRoot, 'services', service, 'src', 'refusal-rules.int-spec.ts'))).toBe(true);
  });
});
