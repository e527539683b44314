import { Body, CallHandler, Controller, ExecutionContext, Injectable, NestInterceptor, Post, Req, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Request } from 'express';
import { Caller } from '@skills/contracts';
import { clientAddressOf, CurrentCaller, Permission, UuidParam } from '@skills/service-runtime';
import { EnrolTotpDto } from './enrol-totp.dto';
import { EnrolTotpHandler } from './enrol-totp.handler';
import { TotpEnrolmentAnswer } from '../../identity-answers';
import { SessionInForce } from '../session-in-force';

/**
 * No body at all is read as an empty one (before the validation, which takes a body as one JSON object):
 * with the enrolment-only token nothing need be sent, and the console's enrolment at sign-in sends nothing.
 */
@Injectable()
class NoBodyAsEmpty implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const request = context.switchToHttp().getRequest<Request>();
    request.body ??= {};
    return next.handle();
  }
}

@ApiTags('identity')
@Controller('api/v1/users/:id/totp')
export class EnrolTotpController {
  constructor(private readonly handler: EnrolTotpHandler) {}

  @Post()
  @ApiOperation({
    summary: 'Enrol a second factor',
    description:
      'Creates a TOTP secret, shown this once, to add to an authenticator app and confirm with a code. The user themself, with their password (`currentPassword`) unless the token is the enrolment-only one got at sign-in (scope totp_enrolment).',
  })
  @Permission('users:totp')
  @SessionInForce()
  @UseInterceptors(NoBodyAsEmpty)
  @ApiBody({ type: EnrolTotpDto, required: false })
  @ApiCreatedResponse({ type: TotpEnrolmentAnswer, description: '{secret, otpauthUri}, answered once: add it to an authenticator app, then confirm with a code' })
  @ApiBadRequestResponse({
    description: 'Invalid input; `currentPassword` missing (rule `required`) or not the password now (rule `current_password_wrong`, counted as a failed sign-in), unless the token is the enrolment-only one',
  })
  @ApiTooManyRequestsResponse({ description: 'too_many_sign_ins: too many failed sign-ins (current passwords included) from this address or for this username, as at sign-in (Retry-After)' })
  @ApiConflictResponse({ description: 'totp_already_enrolled, user_disabled' })
  @ApiNotFoundResponse({ description: 'No user with this id' })
  enrol(@UuidParam('id') userId: string, @Body() body: EnrolTotpDto, @CurrentCaller() caller: Caller, @Req() request: Request) {
    return this.handler.execute(userId, body, caller, clientAddressOf(request));
  }
}
