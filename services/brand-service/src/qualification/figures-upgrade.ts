import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { BrandFigures, FIGURES_RULE } from './brand-figures';

export { FIGURES_RULE };

/** How often, and how far apart, a brand whose backfill failed is counted again before it is left to the next start. */
const RESUME_ATTEMPTS = 5;
const RESUME_FIRST_PAUSE_MS = 1000;

/**
 * Every brand whose figures are not counted by FIGURES_RULE (`brand_scopes.figures_rule`) is rebuilt from the
 * facts at start: those counted by an earlier rule, once, at the first start after the rule changed, not only
 * for the trainees a new fact happens to touch; and those whose backfill after their registration was cut
 * short (a crash, a restart), which it completes. `brand_figures_rule` records the rule once every brand
 * was counted by it.
 *
 * It runs beside the service, not before it (as SearchIndexBackfill does): rebuilding many large brands
 * must not hold up readiness, nor let a liveness probe kill the start over and over. Until a brand is
 * rebuilt its certification is refused (503 facts_not_caught_up) and its reads do not say they are
 * complete. A rolling deploy's older replicas may count a fact by the old rule meanwhile; stop them
 * before the new ones start for such an upgrade.
 */
@Injectable()
export class FiguresUpgrade implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('brand-figures');
  private stopped = false;

  constructor(
    private readonly database: Database,
    private readonly figures: BrandFigures,
  ) {}

  onApplicationBootstrap(): void {
    this.upgrade().catch((error: unknown) => this.logger.warn(`counting the brands' figures again stopped, the next start does it: ${messageOf(error)}`));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /**
   * Every brand's figures rebuilt from the facts when they are not counted by FIGURES_RULE. Two replicas
   * starting at once may both rebuild: a rebuild is the same whoever does it, and each holds the scopes' lock
   * (a backfill still running meanwhile goes on between two batches, and counts the same).
   */
  async upgrade(): Promise<number> {
    const brands = (
      await this.database.query<{ brand_id: string }>('SELECT brand_id FROM brand_scopes WHERE figures_rule IS DISTINCT FROM $1 ORDER BY brand_id', [FIGURES_RULE])
    ).rows;
    for (const { brand_id } of brands) {
      if (this.stopped) throw new Error('the service is stopping');
      await this.figures.rebuild(brand_id);
    }
    await this.database.query(
      'INSERT INTO brand_figures_rule (rule) VALUES ($1) ON CONFLICT (single) DO UPDATE SET rule = greatest(brand_figures_rule.rule, excluded.rule)',
      [FIGURES_RULE],
    );
    if (brands.length > 0) this.logger.log(`${brands.length} brands' figures counted again by rule ${FIGURES_RULE}`);
    return brands.length;
  }

  /**
   * A brand whose backfill failed without stopping the service (its registration is recorded): its figures
   * rebuilt in the background, a few times further apart, then left to the next start. Until then its
   * certification is refused (503) as for any brand whose figures are not counted.
   */
  resume(brandId: string): void {
    void (async () => {
      for (let attempt = 1; !this.stopped; attempt++) {
        try {
          if (!(await this.figures.counted(brandId))) await this.figures.rebuild(brandId);
          this.logger.log(`brand ${brandId}'s figures counted after its backfill stopped`);
          return;
        } catch (error) {
          if (attempt >= RESUME_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, RESUME_FIRST_PAUSE_MS * 2 ** (attempt - 1)).unref());
        }
      }
    })().catch((error: unknown) => this.logger.warn(`counting brand ${brandId}'s figures stopped, the next start does it: ${messageOf(error)}`));
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
