// Not an *.aggregate.ts file: its refusals are not read.
declare const DomainRefusal: new (...args: unknown[]) => Error;
export const ignored = () => new DomainRefusal('never_listed', 'not an aggregate');
