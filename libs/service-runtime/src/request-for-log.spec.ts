import { requestForLog } from './request-for-log';

describe('what a log line says of its request', () => {
  it('names the method and path only: no headers (tokens), no query (a name searched), no body', () => {
    const request = {
      method: 'GET',
      url: '/api/v1/trainees?q=%E5%BC%A0%E4%B8%89',
      headers: { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.secret', cookie: 'session=1' },
      body: { name: '张三', phone: '13912345678' },
    };
    const logged = JSON.stringify(requestForLog(request));
    expect(JSON.parse(logged)).toEqual({ method: 'GET', path: '/api/v1/trainees' });
    for (const secret of ['Bearer', 'secret', 'session', '%E5', '张三', '1391']) expect(logged).not.toContain(secret);
  });
});
