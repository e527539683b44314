import { ApiProperty } from '@nestjs/swagger';
import { IsId, IsKeptText } from '@skills/service-runtime';

export class VoidEnrollmentDto {
  @ApiProperty({
    example: '报名时选错了学员 (the wrong trainee was picked at enrolment)',
    description:
      'What was recorded in error, kept with the record for good (an erasure does not reach it): do not write the trainee’s name, identity number or phone here (an identity number or mobile number is refused: 400 personal_data_in_text)',
  })
  @IsKeptText({ maxLength: 500 })
  reason: string;

  @ApiProperty({
    format: 'uuid',
    description:
      "Which of the trainee's enrolments in the course (a roster entry's enrollmentId): required, so that a retry after the void finds none (404) rather than voiding the trainee's enrolment before it",
  })
  @IsId()
  enrollmentId: string;
}
