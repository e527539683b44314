import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/** One statement (or a few, separated by semicolons) of a bulk job, timed on its own. */
export interface TimedStep {
  name: string;
  sql: string;
}

export class OverBudget extends Error {
  constructor(
    readonly step: string,
    readonly seconds: number,
  ) {
    super(`stopped in "${step}" after ${seconds.toFixed(0)} s: over the time budget`);
  }
}

/**
 * Runs the steps one after another, printing each one's seconds. With a deadline (epoch ms), each step
 * gets the time left as its statement_timeout, so a size too large for the budget stops instead of running on.
 */
export async function timedSteps(sql: Client, steps: TimedStep[], log: (line: string) => void, deadline?: number): Promise<{ seconds: number }> {
  const began = performance.now();
  for (const step of steps) {
    const at = performance.now();
    if (deadline !== undefined) {
      const left = Math.floor(deadline - Date.now());
      if (left <= 0) throw new OverBudget(step.name, (performance.now() - began) / 1000);
      await sql.query(`SET statement_timeout = ${left}`);
    }
    try {
      await sql.query(step.sql);
    } catch (error) {
      // 57014: query_canceled, here by statement_timeout.
      if (deadline !== undefined && (error as { code?: string }).code === '57014') throw new OverBudget(step.name, (performance.now() - began) / 1000);
      throw error;
    } finally {
      if (deadline !== undefined) await sql.query('SET statement_timeout = 0');
    }
    log(`    ${step.name}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
  }
  return { seconds: (performance.now() - began) / 1000 };
}
