import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every refusal rule the aggregates below `sourceDir` can raise, read from their source: the rule of
 * each `new DomainRefusal('rule', …)`, `new FieldRefusal('field', 'rule', …)` and `refuse('rule', …)`,
 * and `date_in_future` where `refuseFutureDate(…)` is called. A rule added later shows up here, so a
 * table of HTTP scenarios compared with this list fails until the new rule has one.
 */
export function refusalRulesOf(sourceDir: string): string[] {
  const rules = new Set<string>();
  for (const file of aggregateFiles(sourceDir)) {
    const source = readFileSync(file, 'utf8');
    for (const pattern of [/new DomainRefusal\(\s*'([a-z0-9_]+)'/g, /new FieldRefusal\(\s*'[^']+',\s*'([a-z0-9_]+)'/g, /\brefuse\(\s*'([a-z0-9_]+)'/g]) {
      for (const match of source.matchAll(pattern)) rules.add(match[1]);
    }
    if (/\brefuseFutureDate\(/.test(source)) rules.add('date_in_future');
    // A rule name built at run time could not be checked against a table: refuse to read past one.
    const dynamic = source.match(/new DomainRefusal\(\s*`|new FieldRefusal\(\s*'[^']+',\s*`|\brefuse\(\s*`/);
    if (dynamic) throw new Error(`${file}: a refusal rule must be a string literal, found ${dynamic[0]}`);
  }
  return [...rules].sort();
}

function aggregateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return aggregateFiles(full);
    return entry.name.endsWith('.aggregate.ts') ? [full] : [];
  });
}
