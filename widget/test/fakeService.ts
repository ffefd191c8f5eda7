/** A fake bookchat service behind `ClientConfig.fetch`: each /chat/stream call gets an answer
 * stream the test writes event by event; aborting the request errors the stream, as a
 * browser's fetch does. */
import type { ClientConfig } from '../src/core/api';

export interface Call {
  path: string;
  body: Record<string, unknown>;
  signal: AbortSignal | null;
}

export class AnswerStream {
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private readonly encoder = new TextEncoder();
  readonly body: ReadableStream<Uint8Array>;

  constructor(signal: AbortSignal | null) {
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
    });
    signal?.addEventListener('abort', () => this.controller.error(signal.reason));
  }

  send(event: string, data: unknown): void {
    this.controller.enqueue(this.encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  }

  end(): void {
    this.controller.close();
  }
}

export class FakeService {
  readonly calls: Call[] = [];
  readonly streams: AnswerStream[] = [];
  /** Responses to give instead of a stream, in order (an HTTP error, say). */
  readonly replies: Response[] = [];
  readonly config: ClientConfig = { backend: 'http://svc', fetch: this.fetch.bind(this) as typeof fetch };

  private async fetch(url: string | URL | Request, init?: RequestInit): Promise<Response> {
    const signal = init?.signal ?? null;
    this.calls.push({
      path: new URL(String(url)).pathname,
      body: JSON.parse(String(init?.body)) as Record<string, unknown>,
      signal,
    });
    const reply = this.replies.shift();
    if (reply) return reply;
    const stream = new AnswerStream(signal);
    this.streams.push(stream);
    return new Response(stream.body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  }

  /** The answer stream of the latest /chat/stream call. */
  get stream(): AnswerStream {
    const stream = this.streams.at(-1);
    if (!stream) throw new Error('no answer stream was requested');
    return stream;
  }
}

export function errorReply(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}
