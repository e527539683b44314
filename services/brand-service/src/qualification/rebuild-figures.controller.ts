import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BrandFigures } from './brand-figures';
import { Qualifications } from './qualification.service';

@ApiTags('admin')
@Controller('admin/brands/:id/figures/rebuild')
export class RebuildFiguresController {
  constructor(
    private readonly figures: BrandFigures,
    private readonly qualifications: Qualifications,
  ) {}

  /** Operators recompute a brand's figures from the recorded facts; the old ones answer until the swap. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '{brandId, rebuilt: true}' })
  async rebuild(@Param('id', new ParseUUIDPipe()) brandId: string) {
    await this.qualifications.brand(brandId);
    await this.figures.rebuild(brandId);
    return { brandId, rebuilt: true };
  }
}
