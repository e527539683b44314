// given / when / then for pure decide-evolve aggregates, in the language of the domain:
//
//   const given = aggregateSpec(course);
//   given(CourseScheduled, TraineeEnrolled).when(EnrolTrainee).then([TraineeEnrolled]);
//   given(CourseScheduled, ...fullCourse).when(EnrolTrainee).thenRefuses('course is full');
//   given(CourseScheduled).when(EnrolTrainee by another school).thenForbids('courses:enrol');
//
// Kept free of domain imports: any thrown error with a string `rule` is a refusal (DomainRefusal), and
// any with a string `permission` a caller not permitted (NotPermitted).

export interface SpecAggregate<Command, Event, State> {
  decide(command: Command, state: State, now: Date): Event[];
  evolve(state: State, event: Event): State;
  /** A value, or a factory as in the event-sourcing Aggregate. */
  initialState: State | (() => State);
}

export interface Scenario<Command, Event, State> {
  when(command: Command): Outcome<Event, State>;
}

// Note: having `then`, an Outcome is thenable; do not `await` or return it from an async function.
export interface Outcome<Event, State> {
  /** Asserts exactly these new events (deep equality, in order); returns them and the state after them. */
  then(expectedEvents: Event[]): { events: Event[]; state: State };
  /** Asserts a refusal whose rule contains `ruleSubstring`; returns the error for further checks. */
  thenRefuses(ruleSubstring: string): Error & { rule: string };
  /** Asserts the caller is not permitted, naming exactly `permission` (answered 403); returns the error. */
  thenForbids(permission: string): Error & { permission: string };
}

/** A fixed instant (Monday 2025-03-03, 09:00 in UTC+8) so specs do not depend on the clock. */
export const SPEC_NOW = new Date('2025-03-03T01:00:00.000Z');

export function aggregateSpec<Command, Event, State>(
  aggregate: SpecAggregate<Command, Event, State>,
  now: Date = SPEC_NOW,
): (...pastEvents: Event[]) => Scenario<Command, Event, State> {
  const initial = (): State =>
    typeof aggregate.initialState === 'function'
      ? (aggregate.initialState as () => State)()
      : aggregate.initialState;
  const fold = (state: State, events: Event[]) => events.reduce((s, e) => aggregate.evolve(s, e), state);

  return (...pastEvents) => ({
    when(command) {
      const state = fold(initial(), pastEvents);
      const decide = () => aggregate.decide(command, state, now);
      /** The error decide throws when `is` recognises it; any other error is rethrown, and deciding fails. */
      const thrown = <E>(is: (error: unknown) => error is E, expected: string): E => {
        let events: Event[];
        try {
          events = decide();
        } catch (error) {
          if (!is(error)) throw error;
          return error;
        }
        throw new Error(`Expected ${expected}, but decide returned ${JSON.stringify(events)}`);
      };
      return {
        then(expectedEvents) {
          const events = decide();
          expect(events).toEqual(expectedEvents);
          // Folding the new events too catches an evolve that cannot handle what decide emits.
          return { events, state: fold(state, events) };
        },
        thenRefuses(ruleSubstring) {
          const error = thrown(isRefusal, `a refusal by rule "${ruleSubstring}"`);
          expect(error.rule).toContain(ruleSubstring);
          return error;
        },
        thenForbids(permission) {
          const error = thrown(isForbidden, `the caller not permitted "${permission}"`);
          expect(error.permission).toBe(permission);
          return error;
        },
      };
    },
  });
}

// Duck-typed, not instanceof: no domain import, and no surprises across module copies or realms.
function isRefusal(error: unknown): error is Error & { rule: string } {
  return hasString(error, 'rule');
}

function isForbidden(error: unknown): error is Error & { permission: string } {
  return hasString(error, 'permission');
}

function hasString(error: unknown, key: string): boolean {
  return typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>)[key] === 'string';
}
