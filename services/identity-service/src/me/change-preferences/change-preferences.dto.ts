import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, ValidateIf } from 'class-validator';
import { Locale, LOCALES } from '../../users/user.aggregate';

/** What to change; a field left out stays as it was (null is not "left out": it is refused). */
export class ChangePreferencesDto {
  @ApiPropertyOptional({ enum: LOCALES, description: "The console's language" })
  @ValidateIf((body: ChangePreferencesDto) => body.locale !== undefined)
  @IsIn(LOCALES, { message: `locale must be one of ${LOCALES.join(', ')}` })
  locale?: Locale;

  @ApiPropertyOptional({ type: Boolean, description: 'Larger type and simpler screens' })
  @ValidateIf((body: ChangePreferencesDto) => body.elderMode !== undefined)
  @IsBoolean({ message: 'elderMode must be true or false' })
  elderMode?: boolean;
}
