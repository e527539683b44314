/** How often, and how many times, a list is read again until a change just made shows in it. */
const PAUSE_MS = 300;
const TRIES = 20;

/**
 * The placement service's lists are read models, kept a moment behind its commands: after a change the
 * screen reads again until the change shows (or gives up after a few seconds and shows what it has).
 */
export async function readUntil<T>(read: () => Promise<T>, shows: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let tries = 1; tries < TRIES && !shows(value); tries++) {
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    value = await read();
  }
  return value;
}
