import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { BrandFigures } from './brand-figures';

/**
 * The rule the stored figures were counted by (`brand_figures_rule`). Raised with every change to how a
 * trainee counts (trainee-steps.ts), so that figures counted by the old rule are counted again once, at the
 * first start after the upgrade, not only for the trainees a new fact happens to touch.
 * 2: an enrolment counts by its latest correction, in the window or not.
 *
 * It runs beside the service, not before it (as SearchIndexBackfill does): rebuilding many large brands
 * must not hold up readiness, nor let a liveness probe kill the start over and over. Until it is done a
 * brand's figures are as the old rule counted them. A rolling deploy's older replicas may count a fact by
 * the old rule meanwhile; stop them before the new ones start for such an upgrade.
 */
export const FIGURES_RULE = 2;

@Injectable()
export class FiguresUpgrade implements OnApplicationBootstrap {
  private readonly logger = new Logger('brand-figures');

  constructor(
    private readonly database: Database,
    private readonly figures: BrandFigures,
  ) {}

  onApplicationBootstrap(): void {
    this.upgrade().catch((error: unknown) =>
      this.logger.warn(`counting the brands' figures again stopped, the next start does it: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /**
   * Every brand's figures rebuilt from the facts when they were counted by an earlier rule. Two replicas
   * starting at once may both rebuild: a rebuild is the same whoever does it, and each holds the scopes' lock.
   */
  async upgrade(): Promise<number> {
    const { rows } = await this.database.query<{ rule: number }>('SELECT rule FROM brand_figures_rule');
    if ((rows[0]?.rule ?? 1) >= FIGURES_RULE) return 0;
    const brands = (await this.database.query<{ brand_id: string }>('SELECT brand_id FROM brand_scopes ORDER BY brand_id')).rows;
    for (const { brand_id } of brands) await this.figures.rebuild(brand_id);
    await this.database.query(
      'INSERT INTO brand_figures_rule (rule) VALUES ($1) ON CONFLICT (single) DO UPDATE SET rule = greatest(brand_figures_rule.rule, excluded.rule)',
      [FIGURES_RULE],
    );
    if (brands.length > 0) this.logger.log(`${brands.length} brands' figures counted again by rule ${FIGURES_RULE}`);
    return brands.length;
  }
}
