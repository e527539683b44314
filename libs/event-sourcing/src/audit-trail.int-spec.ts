// The audit line of a command (domain.md section 9): one outbox message per user's command that recorded
// events, in the command's transaction; none for the platform's own work, nor for a command that recorded
// nothing or was refused. Only the command's type and ids travel, never the command's fields.
import { Actor, AUDIT_TOPIC, systemActor } from '@skills/contracts';
import { DomainRefusal, fixedClock } from '@skills/domain-kernel';
import { Database, migrate, Transactions } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Aggregate, CommandPipeline, mustExist, mustNotExist } from './command-pipeline';
import { EventStoreSchema } from './event-store.schema';

type NoteEvent = { type: 'NoteWritten'; data: { text: string } };
type NoteCommand = { type: 'WriteNote'; text: string };

/** Writes a note, refuses an empty one and records nothing for a note of one space. */
const notes: Aggregate<{ count: number }, NoteCommand, NoteEvent> = {
  initialState: () => ({ count: 0 }),
  evolve: (state) => ({ count: state.count + 1 }),
  decide: (command) => {
    if (command.text === '') throw new DomainRefusal('note_empty', 'a note says something');
    return command.text === ' ' ? [] : [{ type: 'NoteWritten', data: { text: command.text } }];
  },
};

const SCHEMA = 'audited';
const NOW = '2021-09-30T02:00:00.000Z';
const CLERK: Actor = { userId: 'clerk-1', role: 'school_staff', organisationId: 'school-1', via: 'token' };

describe('the audit line of a command', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let actor: Actor;
  let commands: CommandPipeline;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, SCHEMA, [EventStoreSchema]);
    database = new Database({ url: testDatabase.url, schema: SCHEMA });
    commands = new CommandPipeline(new Transactions(database), fixedClock(NOW), () => ({ correlationId: 'request-1', actor }));
  });

  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  beforeEach(() => (actor = CLERK));

  const write = (streamId: string, text: string, stream = mustNotExist(streamId)) => commands.handle({ stream, aggregate: notes, command: { type: 'WriteNote', text } });
  const auditLinesOf = async (streamId: string) =>
    (await database.query<{ message_key: string; envelope: Record<string, unknown> }>('SELECT message_key, envelope FROM outbox WHERE topic = $1 AND message_key = $2', [AUDIT_TOPIC, streamId])).rows;

  it("enqueues one line naming the actor, the command's type and the stream, with the command's events", async () => {
    const streamId = `note-${randomUUID()}`;
    await write(streamId, 'secret text');
    const lines = await auditLinesOf(streamId);
    expect(lines).toHaveLength(1);
    expect(lines[0].envelope).toMatchObject({
      type: 'CommandAccepted',
      aggregateId: streamId,
      aggregateVersion: 1,
      correlationId: 'request-1',
      payload: { at: NOW, actor: CLERK, action: 'WriteNote', service: SCHEMA, resource: streamId, organisationId: 'school-1', correlationId: 'request-1' },
    });
    expect(JSON.stringify(lines)).not.toContain('secret text');
  });

  it('enqueues nothing for the platform’s own work, a command that records nothing, or a refused one', async () => {
    const streamId = `note-${randomUUID()}`;
    actor = systemActor('a-consumer');
    await write(streamId, 'by the platform');
    actor = CLERK;
    await write(streamId, ' ', mustExist(streamId, 'note', streamId));
    await expect(write(streamId, '', mustExist(streamId, 'note', streamId))).rejects.toMatchObject({ rule: 'note_empty' });
    expect(await auditLinesOf(streamId)).toEqual([]);
  });
});
