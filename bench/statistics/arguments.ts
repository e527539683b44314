import { parseArgs } from 'node:util';

export interface StatisticsArguments {
  /** The sizes to reach, smallest first. */
  certificates: number[];
  provinceCode: string;
  year: number;
  /** Timed HTTP requests per size (after the warm-up). */
  requests: number;
  /** Timed runs of the SQL peer per size; by default 20, 10 above a million certificates. */
  sqlRuns?: number;
  /** A load that would take longer is not started, one that does is stopped (0: no limit). */
  budgetMinutes: number;
  /** Certificates of the definitions check (0: skipped). */
  checkCertificates: number;
}

const USAGE = `npm run bench:statistics [-- --certificates 1000000,10000000] [--quick] [--province 430000] [--year 2025]
    [--requests 200] [--sql-runs N] [--budget-minutes 25] [--check-certificates 5000]`;

export function statisticsArguments(argv = process.argv.slice(2)): StatisticsArguments {
  const { values } = parseArgs({
    args: argv,
    options: {
      certificates: { type: 'string', default: '1000000,10000000' },
      quick: { type: 'boolean', default: false },
      province: { type: 'string', default: '430000' },
      year: { type: 'string', default: '2025' },
      requests: { type: 'string', default: '200' },
      'sql-runs': { type: 'string' },
      'budget-minutes': { type: 'string', default: '25' },
      'check-certificates': { type: 'string', default: '5000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const whole = (name: string, raw: string, min: number) => {
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}, not "${raw}"\n${USAGE}`);
    return value;
  };
  const certificates = values.quick ? [100_000] : values.certificates.split(',').map((raw) => whole('certificates', raw.trim(), 1000));
  if (!/^\d{2}0000$/.test(values.province) || values.province === '000000') throw new Error(`--province must be a province code (xx0000), not "${values.province}"`);
  return {
    certificates: [...new Set(certificates)].sort((a, b) => a - b),
    provinceCode: values.province,
    year: whole('year', values.year, 2015),
    requests: whole('requests', values.requests, 10),
    sqlRuns: values['sql-runs'] === undefined ? undefined : whole('sql-runs', values['sql-runs'], 1),
    budgetMinutes: whole('budget-minutes', values['budget-minutes'], 0),
    checkCertificates: whole('check-certificates', values['check-certificates'], 0),
  };
}
