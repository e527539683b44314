import { Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { Transactions } from '@skills/postgres';

/**
 * The Transactions of the service whose module declares `controller`: the nearest module imported
 * (breadth first) that provides one, normally the module's own ServiceRuntimeModule.forService.
 */
export function serviceTransactionsOf(modules: ModulesContainer, controller: Type<unknown>): Transactions | undefined {
  const home = [...modules.values()].find((module) => module.controllers.has(controller));
  if (!home) return undefined;
  const seen = new Set([home]);
  for (let level = [home]; level.length > 0; ) {
    for (const module of level) {
      const instance = module.providers.get(Transactions)?.instance;
      if (instance instanceof Transactions) return instance;
    }
    level = level.flatMap((module) => [...module.imports]).filter((module) => !seen.has(module) && seen.add(module));
  }
  return undefined;
}
