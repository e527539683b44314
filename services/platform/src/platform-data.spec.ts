import { embeddedPostgresPort } from './platform-data';

describe('the embedded Postgres port', () => {
  it('is 54329 unless EMBEDDED_POSTGRES_PORT gives another', () => {
    expect(embeddedPostgresPort({})).toBe(54329);
    expect(embeddedPostgresPort({ EMBEDDED_POSTGRES_PORT: '' })).toBe(54329);
    expect(embeddedPostgresPort({ EMBEDDED_POSTGRES_PORT: '5433' })).toBe(5433);
  });

  it.each(['abc', '0', '65536', '5433.5', ' 5433'])('refuses %p at start, naming the setting', (given) => {
    expect(() => embeddedPostgresPort({ EMBEDDED_POSTGRES_PORT: given })).toThrow(`EMBEDDED_POSTGRES_PORT must be an integer from 1 to 65535 (got "${given}")`);
  });
});
