import { describe, expect, it } from 'vitest';
import { ApiError, describeError, parseRetryAfter, sendFeedback, streamChat } from '../src/core/api';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      chunks.forEach((chunk) => controller.enqueue(encoder.encode(chunk)));
      controller.close();
    },
  });
}

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(response: () => Response, calls: Call[]): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return response();
  }) as typeof fetch;
}

const sse = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

describe('streamChat', () => {
  it('POSTs the request with the key and reads sources, deltas and done', async () => {
    const calls: Call[] = [];
    const body = [
      sse('sources', { source_nodes: [{ id: '1', text: 't', metadata: { source: 'a.md' } }] }),
      ': ping\n\n',
      sse('delta', { delta: 'Hel' }),
      sse('delta', { delta: 'lo [1]' }),
      sse('done', { answer: 'Hello [1]', request_id: 'r1', outcome: 'answered', cited: [1] }),
    ].join('');
    const fetch = fakeFetch(() => new Response(streamOf([body.slice(0, 50), body.slice(50)]), { status: 200 }), calls);
    const seen: string[] = [];
    const done = await streamChat(
      { backend: 'http://svc:8000/', apiKey: 'k1', fetch },
      { message: 'hi', page: '/docs/a' },
      {
        onSources: (nodes) => seen.push(`sources:${nodes.length}`),
        onDelta: (d) => seen.push(d),
      },
    );
    expect(seen).toEqual(['sources:1', 'Hel', 'lo [1]']);
    expect(done).toEqual({ answer: 'Hello [1]', request_id: 'r1', outcome: 'answered', cited: [1] });
    expect(calls[0]!.url).toBe('http://svc:8000/chat/stream');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer k1');
    expect(headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ message: 'hi', page: '/docs/a' });
  });

  it('an empty backend means the page’s own origin; no key, no Authorization', async () => {
    const calls: Call[] = [];
    const fetch = fakeFetch(() => new Response(streamOf([sse('done', { answer: 'a' })])), calls);
    await streamChat({ backend: '', fetch }, { message: 'hi' }, {});
    expect(calls[0]!.url).toBe('/chat/stream');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('an HTTP error becomes an ApiError with the contract’s code, message and Retry-After', async () => {
    const fetch = fakeFetch(
      () =>
        new Response(JSON.stringify({ error: { code: 'upstream_rate_limited', message: 'slow down' } }), {
          status: 429,
          headers: { 'Retry-After': '7', 'Content-Type': 'application/json' },
        }),
      [],
    );
    const error = await streamChat({ backend: '', fetch }, { message: 'q' }, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'http', status: 429, code: 'upstream_rate_limited', retryAfter: 7 });
    expect(describeError(error as ApiError)).toContain('Try again in 7 s');
  });

  it('an error event after the stream began rejects with its code and message', async () => {
    const fetch = fakeFetch(() => new Response(streamOf([sse('delta', { delta: 'x' }), sse('error', { code: 'upstream_error', message: 'model failed' })])), []);
    await expect(streamChat({ backend: '', fetch }, { message: 'q' }, {})).rejects.toMatchObject({
      kind: 'stream',
      code: 'upstream_error',
      message: 'model failed',
    });
  });

  it('a rate-limited error event carries its wait to the reader', async () => {
    const event = sse('error', { code: 'upstream_rate_limited', message: 'rate limited', retry_after: 7 });
    const fetch = fakeFetch(() => new Response(streamOf([sse('sources', { source_nodes: [] }), event])), []);
    const error = await streamChat({ backend: '', fetch }, { message: 'q' }, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'stream', code: 'upstream_rate_limited', retryAfter: 7 });
    expect(describeError(error as ApiError)).toBe('The answer was interrupted: rate limited Try again in 7 s.');
  });

  it('a stream that ends without done is an error, not a silent truncation', async () => {
    const fetch = fakeFetch(() => new Response(streamOf([sse('delta', { delta: 'x' })])), []);
    await expect(streamChat({ backend: '', fetch }, { message: 'q' }, {})).rejects.toMatchObject({ kind: 'protocol' });
  });

  it('a network failure is a network ApiError; an abort stays an abort', async () => {
    const failing = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(streamChat({ backend: '', fetch: failing }, { message: 'q' }, {})).rejects.toMatchObject({ kind: 'network' });
    const controller = new AbortController();
    controller.abort();
    const aborting = (async (_u: unknown, init?: RequestInit) => {
      if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      throw new Error('unreachable');
    }) as typeof fetch;
    await expect(streamChat({ backend: '', fetch: aborting }, { message: 'q' }, {}, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('describes every error status of the contract', () => {
    for (const status of [401, 413, 422, 429, 502, 503, 504]) {
      const text = describeError(new ApiError('http', 'detail', status));
      expect(text).toContain(String(status));
    }
    expect(describeError(new ApiError('network', 'x'))).toMatch(/Cannot reach/);
  });

  it('an unreachable or refusing service is named, with the CORS setting to check', () => {
    const text = describeError(new ApiError('network', 'Failed to fetch'), 'https://chat.example.org/');
    expect(text).toContain('https://chat.example.org.');
    expect(text).toContain('BOOKCHAT_CORS_ORIGINS');
    expect(text).not.toMatch(/connection/);
  });

  it('a 403 for the origin names the service and the setting', () => {
    const text = describeError(new ApiError('http', 'Origin not allowed', 403, 'origin_not_allowed'), 'https://chat.example.org');
    expect(text).toMatch(/^The chat service at https:\/\/chat\.example\.org refused this site's origin/);
    expect(text).toContain('BOOKCHAT_CORS_ORIGINS');
  });
});

describe('sendFeedback and Retry-After', () => {
  it('posts the rating and resolves on 201', async () => {
    const calls: Call[] = [];
    const fetch = fakeFetch(() => new Response('{}', { status: 201 }), calls);
    await sendFeedback({ backend: 'http://svc', apiKey: 'k', fetch }, { request_id: 'r1', rating: 'up' });
    expect(calls[0]!.url).toBe('http://svc/feedback');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ request_id: 'r1', rating: 'up' });
  });

  it('parses delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5);
  });
});
