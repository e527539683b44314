import { Projection } from '@skills/event-sourcing';
import { BrandEvent } from '../brand.aggregate';

/**
 * One row per brand, for lists: what GET /api/v1/brands/{id} shows of it but the policy and the
 * figures, with its certification decisions in the order recorded (`{tier, decidedOn, status,
 * revokedOn?}`, as that read names them). The building units' credit codes select the brands a school
 * or employer may read; the region code those of a bureau.
 */
export const brandDirectory: Projection<BrandEvent> = {
  name: 'brand-directory',
  table: 'brand_directory',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      brand_id uuid PRIMARY KEY,
      bureau_id uuid NOT NULL,
      name text NOT NULL,
      region_code text NOT NULL,
      tier text NOT NULL,
      industry_code text NOT NULL,
      occupation_codes text[] NOT NULL,
      building_units text[] NOT NULL,
      registered_on date NOT NULL,
      certifications jsonb NOT NULL DEFAULT '[]'
    )`);
    // Pages go by (name, id); a region is a prefix of the code; a building unit is one of the array's elements.
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_name ON ${table} (name, brand_id)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_region ON ${table} (region_code text_pattern_ops)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_unit ON ${table} USING gin (building_units)`);
  },
  // In the checkpoint's transaction, so each event applies once; each statement would also be harmless twice.
  async apply(tx, table, event) {
    switch (event.type) {
      case 'BrandRegistered': {
        const brand = event.data;
        await tx.query(
          `INSERT INTO ${table} (brand_id, bureau_id, name, region_code, tier, industry_code, occupation_codes, building_units, registered_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (brand_id) DO NOTHING`,
          [brand.brandId, brand.bureauId, brand.name, brand.regionCode, brand.tier, brand.industryCode, brand.occupationCodes, brand.buildingUnits, brand.registeredOn],
        );
        return;
      }
      case 'BrandCertified': {
        // Applied twice, the decision is already there, standing (a tier's certifications never overlap). Not
        // just the tier and day: a certification revoked on the day it was decided may be decided again that day.
        const decision = { tier: event.data.tier, decidedOn: event.data.decidedOn, status: 'standing' };
        await tx.query(
          `UPDATE ${table} SET certifications = certifications || jsonb_build_array($2::jsonb)
           WHERE brand_id = $1 AND NOT certifications @> jsonb_build_array($2::jsonb)`,
          [event.data.brandId, JSON.stringify(decision)],
        );
        return;
      }
      case 'BrandCertificationRevoked':
        // Ends the tier's one standing certification (they never overlap), keeping the decisions' order.
        await tx.query(
          `UPDATE ${table} SET certifications = (
             SELECT jsonb_agg(CASE WHEN c ->> 'tier' = $2 AND c ->> 'status' = 'standing' THEN c || jsonb_build_object('status', 'revoked', 'revokedOn', $3::text) ELSE c END ORDER BY n)
             FROM jsonb_array_elements(certifications) WITH ORDINALITY AS e(c, n))
           WHERE brand_id = $1 AND certifications @> jsonb_build_array(jsonb_build_object('tier', $2::text, 'status', 'standing'))`,
          [event.data.brandId, event.data.tier, event.data.revokedOn],
        );
        return;
      case 'BrandCorrected': {
        // The corrected values replace the recorded ones; a field not corrected stays (applied twice, the same).
        const { after } = event.data;
        await tx.query(
          `UPDATE ${table} SET name = coalesce($2, name), industry_code = coalesce($3, industry_code),
             occupation_codes = coalesce($4, occupation_codes), building_units = coalesce($5, building_units)
           WHERE brand_id = $1`,
          [event.data.brandId, after.name ?? null, after.industryCode ?? null, after.occupationCodes ?? null, after.buildingUnits ?? null],
        );
        return;
      }
    }
  },
};
