// How a host reads a request before any controller (createHost, as every service and the platform build
// theirs), on one small controller; no database is touched:
// - a body of a `+json` type (application/merge-patch+json…) is JSON like application/json, with the same
//   64 KB limit and depth bound, not left unread and refused as if every field were missing;
// - paths are matched in the case api.md spells them: /API/V1/… is an unknown path, a 404 problem, as at the
//   gateway, never a second spelling that decisions made on the path would not recognise;
// - the web console's unknown files are a 404 problem that names no place on the server's disk;
// - an answer of the API carries no ETag and is never a 304 (no operation documents one, and every answer
//   is `Cache-Control: no-store`), while the console's files keep their validators.
import { Body, Controller, Get, INestApplication, Module, Post } from '@nestjs/common';
import { IsString, MaxLength } from 'class-validator';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Public } from '../auth/permissions';
import { createHost } from '../bootstrap';
import { loadRuntimeConfig } from '../runtime-config';

class NoteDto {
  @IsString()
  @MaxLength(100_000)
  text!: string;
}

@Controller('api/v1/notes')
class NotesController {
  @Get()
  @Public()
  list() {
    return { items: [] };
  }

  @Post()
  @Public()
  create(@Body() body: NoteDto) {
    return { text: body.text };
  }
}

@Module({ controllers: [NotesController] })
class NotesModule {}

const BASE_ENV = { TRANSPORT: 'in-process', DATABASE_URL: 'postgres://unused@127.0.0.1:1/none', LOG_LEVEL: 'warn', PORT: '0' };

describe('reading requests: JSON media types, the case of paths, the console’s files', () => {
  let app: INestApplication;
  let baseUrl: string;
  const consoleDir = mkdtempSync(join(tmpdir(), 'console-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(consoleDir, 'assets', 'index-abc123.js'), 'console.log(1)');

  beforeAll(async () => {
    app = await createHost({ title: 'request reading', clientId: 'request-reading', config: loadRuntimeConfig(BASE_ENV), modules: [NotesModule], consoleDir });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app?.close());

  const post = async (body: string, contentType: string, path = '/api/v1/notes') => {
    const answer = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await answer.text();
    return { status: answer.status, contentType: answer.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
  };

  it('reads a body of a +json type as JSON, as it reads application/json', async () => {
    for (const type of ['application/json', 'application/merge-patch+json', 'application/vnd.skills+json; charset=utf-8']) {
      expect(await post(JSON.stringify({ text: 'hello' }), type)).toMatchObject({ status: 201, body: { text: 'hello' } });
    }
    // The validation still applies, to what was read.
    expect(await post(JSON.stringify({ text: 42 }), 'application/merge-patch+json')).toMatchObject({ status: 400, body: { errors: expect.arrayContaining([expect.objectContaining({ field: 'text', rule: 'isString' })]) } });
  });

  it('bounds a +json body as it bounds application/json: malformed, too deep, too large', async () => {
    for (const type of ['application/json', 'application/merge-patch+json']) {
      expect(await post('{"text": "unfinished', type)).toMatchObject({ status: 400, body: { errors: [{ field: 'body', rule: 'invalid_json' }] } });
      expect(await post(`{"text": ${'['.repeat(40)}${']'.repeat(40)}}`, type)).toMatchObject({ status: 400, body: { errors: [{ field: 'body', rule: 'max_depth' }] } });
      expect(await post(JSON.stringify({ text: 'x'.repeat(70_000) }), type)).toMatchObject({ status: 413, body: { errors: [{ field: 'body', rule: 'max_size' }] } });
    }
    // Another type is still refused, not read as if every field were missing.
    expect(await post('text=hello', 'text/plain')).toMatchObject({ status: 415, contentType: expect.stringContaining('application/problem+json') });
  });

  it('matches paths in their own case: another spelling is an unknown path, a 404 problem', async () => {
    expect((await fetch(`${baseUrl}/api/v1/notes`)).status).toBe(200);
    for (const path of ['/API/V1/notes', '/api/V1/notes', '/api/v1/Notes']) {
      const read = await fetch(`${baseUrl}${path}`);
      expect(`${path} ${read.status} ${read.headers.get('content-type')}`).toMatch(new RegExp(`^${path} 404 application/problem\\+json`));
      expect(await post(JSON.stringify({ text: 'hello' }), 'application/json', path)).toMatchObject({ status: 404 });
    }
  });

  it("answers a console file that is not there 404 as a problem, naming no place on the server's disk", async () => {
    expect((await fetch(`${baseUrl}/assets/index-abc123.js`)).status).toBe(200);
    for (const path of ['/assets/missing.js', '/assets/%ZZ', '/assets/']) {
      const answer = await fetch(`${baseUrl}${path}`);
      const text = await answer.text();
      expect(`${path} ${answer.status} ${answer.headers.get('content-type')}`).toMatch(new RegExp(`^${path} 404 application/problem\\+json`));
      expect(JSON.parse(text)).toMatchObject({ status: 404, title: 'Not found' });
      expect(text).not.toContain(consoleDir);
      expect(text).not.toMatch(/ENOENT|stat /);
    }
  });

  // fetch adds Cache-Control: no-cache to a conditional request unless it has one, and a server then answers in
  // full whatever the validators say: a cache revalidating, as a browser's does, sends max-age=0.
  const revalidating = (tag: string, accept = 'application/json') => ({ headers: { accept, 'if-none-match': tag, 'cache-control': 'max-age=0' } });

  it('answers a GET of the API in full whatever If-None-Match says, with no ETag', async () => {
    const first = await fetch(`${baseUrl}/api/v1/notes`);
    expect(first.status).toBe(200);
    // The ETag Express would have answered ({"items":[]}, weak), and any at all.
    for (const tag of [first.headers.get('etag') ?? 'W/"d-an-etag-of-the-answer"', '*']) {
      const again = await fetch(`${baseUrl}/api/v1/notes`, revalidating(tag));
      expect({ tag, status: again.status, etag: again.headers.get('etag'), body: await again.text() }).toEqual({ tag, status: 200, etag: null, body: '{"items":[]}' });
    }
    expect(first.headers.get('etag')).toBeNull();
  });

  it("keeps the console's files revalidated as before: index.html and the assets with their ETag, 304 when unchanged", async () => {
    for (const path of ['/', '/school/courses', '/assets/index-abc123.js']) {
      const first = await fetch(`${baseUrl}${path}`, { headers: { accept: 'text/html' } });
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag');
      expect(`${path} ${etag}`).toMatch(new RegExp(`^${path} W/"`));
      const again = await fetch(`${baseUrl}${path}`, revalidating(etag ?? '', 'text/html'));
      expect(`${path} ${again.status}`).toBe(`${path} 304`);
    }
  });
});
