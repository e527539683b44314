import { Injectable } from '@nestjs/common';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { brandAggregate, brandStreamId, RegisteredBrand } from '../brands/brand.aggregate';
import { BrandFigures } from './brand-figures';
import { judge, Qualification } from './policy';

/** A brand's qualification as of a business date: its figures judged against its own policy. */
@Injectable()
export class Qualifications {
  constructor(
    private readonly commands: CommandHandler,
    private readonly figures: BrandFigures,
  ) {}

  async brand(brandId: string): Promise<RegisteredBrand> {
    const { state } = await this.commands.load(brandStreamId(brandId), brandAggregate);
    if (state.status !== 'registered') throw new UnknownEntity('brand', brandId);
    return state;
  }

  async asOf(brand: RegisteredBrand, asOf: string): Promise<{ qualification: Qualification; basedOnFactSequence: number }> {
    const { basedOnFactSequence, ...figures } = await this.figures.figuresAsOf(brand.brand.brandId, asOf);
    return { qualification: judge(brand.brand.policy, figures, asOf), basedOnFactSequence };
  }
}
