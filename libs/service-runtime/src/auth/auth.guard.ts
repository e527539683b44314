import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { actorOf, Caller } from '@skills/contracts';
import { NotPermitted } from '@skills/domain-kernel';
import { actAs } from '@skills/messaging';
import { Request } from 'express';
import { Authentication } from './authentication';
import { allowedBeforePasswordChange, passwordChangeRequired } from './password-change-required';
import { allows, PERMISSION_KEY, PermissionName, PUBLIC_KEY, SIGNED_IN_ONLY, TOTP_ENROLMENT_ONLY } from './permissions';

type RequestWithCaller = Request & { caller?: Caller } & TokenSession;

/** Of the session the request's token comes from: when its user signed in, and their session ends then (VerifiedToken). */
export interface TokenSession {
  signedInAt?: Date;
  sessionsEnded?: number;
  /** The API key the token was got with (VerifiedToken.apiKeyId): who did what with a key, where that is kept (an import's uploader). */
  apiKeyId?: string;
}

/**
 * Denies by default: a route is callable only if it is @Public() or names a @Permission() that the
 * verified caller's role holds. The caller becomes the actor of everything the request records.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: Authentication,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<PermissionName>(PERMISSION_KEY, targets);
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const { caller, signedInAt, sessionsEnded, apiKeyId } = await this.authentication.authenticateToken(request.header('authorization'));
    if (!permission) throw new NotPermitted('none', 'this route names no permission, so nobody may call it');
    if (!allows(permission, caller.role)) throw new NotPermitted(permission, `a ${caller.role} does not hold ${permission}`);
    if (caller.via === 'apiKey' && SIGNED_IN_ONLY.includes(permission)) throw new NotPermitted(permission, `${permission} needs a user signed in, not an API key`);
    if (caller.purpose === 'totp_enrolment' && !TOTP_ENROLMENT_ONLY.includes(permission)) {
      throw new NotPermitted(permission, 'this token only enrols a second factor: enrol and confirm it, then sign in with its code');
    }
    const pathId = typeof request.params?.id === 'string' ? request.params.id : undefined;
    if (caller.passwordChangeRequired && !allowedBeforePasswordChange(permission, caller, pathId)) throw passwordChangeRequired(permission);
    request.caller = caller;
    request.signedInAt = signedInAt;
    request.sessionsEnded = sessionsEnded;
    request.apiKeyId = apiKeyId;
    actAs(actorOf(caller));
    return true;
  }
}

/** The verified caller of the request (routes behind the AuthGuard). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new Error('CurrentCaller is only for routes behind the AuthGuard');
  return caller;
});

/** The session of the request's token (TokenSession): for what a token of an ended session, or of a sign-in long ago (requireRecentSignIn), must not do. */
export const CurrentTokenSession = createParamDecorator((_data: unknown, context: ExecutionContext): TokenSession => {
  const { caller, signedInAt, sessionsEnded, apiKeyId } = context.switchToHttp().getRequest<RequestWithCaller>();
  if (!caller) throw new Error('CurrentTokenSession is only for routes behind the AuthGuard');
  return { signedInAt, sessionsEnded, ...(apiKeyId ? { apiKeyId } : {}) };
});
