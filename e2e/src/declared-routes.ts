// The routes of the all-in-one host as Nest declared them, with what AuthGuard reads for each (@Public(),
// @Permission()), and the routes Express actually serves: shared by the specs that go over every route
// (route-permissions: who may call it by role; route-ownership: for which organisation or trainee).
import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { BrandModule } from '@skills/brand-service';
import { CertificationModule } from '@skills/certification-service';
import { IdentityModule } from '@skills/identity-service';
import { PlacementModule } from '@skills/placement-service';
import { PERMISSION_KEY, PUBLIC_KEY } from '@skills/service-runtime';
import type { TestHost } from '@skills/testing';
import { TraineeModule } from '@skills/trainee-service';
import { TrainingModule } from '@skills/training-service';

/** The six services, as `npm start` hosts them in one process. */
export const ALL_SERVICES: Type[] = [IdentityModule, TraineeModule, TrainingModule, CertificationModule, PlacementModule, BrandModule];

export interface DeclaredRoute {
  /** `METHOD /path/{param}`, as the OpenAPI document spells it. */
  route: string;
  /** `Controller.method`, to name the culprit. */
  handler: string;
  isPublic: boolean;
  permission: string | undefined;
}

/**
 * What Express holds besides the controllers' routes: the OpenAPI document and its viewer
 * (SwaggerModule.setup: `GET /api/docs`, `/api/docs-json`, `/api/docs-yaml`, `/api/docs/…`, public per
 * api.md), and the request logger nestjs-pino applies to every path and method (`/{*path}`).
 */
export const notAController = (route: string) => /^GET \/api\/docs([-/].*)?$/.test(route) || route.endsWith(' /{*path}');

const joinPath = (...parts: string[]) => `/${parts.flatMap((part) => part.split('/')).filter(Boolean).join('/')}`;
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
const asList = (value: string | string[] | undefined): string[] => (value === undefined ? ['/'] : Array.isArray(value) ? value : [value]);

/** Every route handler of every controller Nest registered, with what AuthGuard would read for it. */
export function declaredRoutes(host: TestHost): DeclaredRoute[] {
  const discovery = new DiscoveryService(host.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const controllers = new Set(discovery.getControllers().map((wrapper) => wrapper.metatype as Type));
  return [...controllers].flatMap((controller) =>
    scanner.getAllMethodNames(controller.prototype).flatMap((name) => {
      const handler = controller.prototype[name] as (...args: unknown[]) => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      // No request method: not a route (an @EventPattern handler, a helper).
      if (method === undefined) return [];
      const targets = [handler, controller];
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true;
      const permission = reflector.getAllAndOverride<string>(PERMISSION_KEY, targets);
      return asList(Reflect.getMetadata(PATH_METADATA, controller)).flatMap((prefix) =>
        asList(Reflect.getMetadata(PATH_METADATA, handler)).map((path) => ({
          route: `${RequestMethod[method]} ${openApiPath(joinPath(prefix, path))}`,
          handler: `${controller.name}.${name}`,
          isPublic,
          permission,
        })),
      );
    }),
  );
}

/** What Express actually serves, from its router: proves the discovery above misses no route. */
export function servedRoutes(host: TestHost): string[] {
  const express = host.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  return express.router.stack.flatMap(({ route }) => (route ? Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${openApiPath(route.path)}`) : []));
}

export const sorted = (routes: Iterable<string>) => [...new Set(routes)].sort();
