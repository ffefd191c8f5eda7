/** The HTTP client: POST /chat/stream read as server-sent events, POST /feedback. */
import { waitInWords } from './help';
import { SSEParser } from './sse';
import type { ChatRequest, DoneEvent, Rating, SourceNode, StreamErrorEvent } from './types';

export interface ClientConfig {
  /** The service's base URL; "" means the page's own origin. */
  backend: string;
  /** Sent as `Authorization: Bearer KEY` on every call when set. */
  apiKey?: string;
  fetch?: typeof fetch;
}

export type ErrorKind = 'http' | 'network' | 'stream' | 'protocol';

export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly retryAfter?: number,
    /** A stream's `error` withdrew the text its deltas brought (docs/api.md). */
    readonly withdrawn = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface StreamHandlers {
  onSources?: (nodes: SourceNode[]) => void;
  onDelta?: (text: string) => void;
  onDone?: (done: DoneEvent) => void;
}

export function endpoint(backend: string, path: string): string {
  return `${backend.trim().replace(/\/+$/, '')}${path}`;
}

export function requestHeaders(config: ClientConfig, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...extra };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  return headers;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

async function errorFrom(response: Response): Promise<ApiError> {
  let code: string | undefined;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (body && typeof body.error === 'object' && body.error) {
      if (typeof body.error.code === 'string') code = body.error.code;
      if (typeof body.error.message === 'string') message = body.error.message;
    }
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError('http', message, response.status, code, parseRetryAfter(response.headers.get('Retry-After')));
}

function newRequestId(): string | undefined {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  return c && typeof c.randomUUID === 'function' ? c.randomUUID() : undefined;
}

async function send(config: ClientConfig, path: string, body: unknown, signal?: AbortSignal, accept?: string): Promise<Response> {
  const doFetch = config.fetch ?? fetch;
  const extra: Record<string, string> = {};
  if (accept) extra.Accept = accept;
  const id = newRequestId();
  if (id) extra['X-Request-ID'] = id;
  try {
    return await doFetch(endpoint(config.backend, path), {
      method: 'POST',
      headers: requestHeaders(config, extra),
      body: JSON.stringify(body),
      signal,
      credentials: 'omit',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', error instanceof Error ? error.message : String(error));
  }
}

function parseJson<T>(data: string): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new ApiError('protocol', 'The service sent an event that is not JSON.');
  }
}

/**
 * Ask a question and read the answer as it streams. Resolves with the `done` event;
 * rejects with an ApiError (HTTP status, stream `error` event, network, cut stream) or,
 * when `signal` aborts, with the fetch's AbortError.
 */
export async function streamChat(
  config: ClientConfig,
  request: ChatRequest,
  handlers: StreamHandlers,
  signal?: AbortSignal,
): Promise<DoneEvent> {
  const response = await send(config, '/chat/stream', request, signal, 'text/event-stream');
  if (!response.ok) throw await errorFrom(response);
  if (!response.body) throw new ApiError('protocol', 'The service sent no stream.');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SSEParser();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ApiError('network', 'The connection dropped while the answer was arriving.');
      }
      const text = chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      const events = parser.push(text);
      if (chunk.done) events.push(...parser.end());
      for (const event of events) {
        switch (event.event) {
          case 'sources': {
            const data = parseJson<{ source_nodes?: SourceNode[] }>(event.data);
            handlers.onSources?.(Array.isArray(data.source_nodes) ? data.source_nodes : []);
            break;
          }
          case 'delta': {
            const data = parseJson<{ delta?: unknown }>(event.data);
            if (typeof data.delta === 'string' && data.delta) handlers.onDelta?.(data.delta);
            break;
          }
          case 'done': {
            const done = parseJson<DoneEvent>(event.data);
            handlers.onDone?.(done);
            return done;
          }
          case 'error': {
            const data = parseJson<StreamErrorEvent>(event.data);
            const wait = typeof data.retry_after === 'number' ? data.retry_after : undefined;
            throw new ApiError('stream', data.message || 'The answer failed.', undefined, data.code, wait, data.withdrawn === true);
          }
          default:
            break; // unknown events are ignored, for forward compatibility
        }
      }
      if (chunk.done) throw new ApiError('protocol', 'The answer stopped before it was complete.');
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

export interface FeedbackRequest {
  request_id: string;
  rating: Rating;
  comment?: string;
}

/** POST /feedback; resolves on 2xx, rejects with an ApiError otherwise. */
export async function sendFeedback(config: ClientConfig, feedback: FeedbackRequest, signal?: AbortSignal): Promise<void> {
  const response = await send(config, '/feedback', feedback, signal);
  if (!response.ok) throw await errorFrom(response);
}

/** The page's origin (`https://docs.example.org`), or undefined outside a browser. */
function pageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  return origin && origin !== 'null' ? origin : undefined;
}

/** The service's URL as the reader should check it: the backend, or the page's origin for "". */
export function serviceUrl(backend: string): string {
  const base = backend.trim().replace(/\/+$/, '');
  return base || pageOrigin() || 'this site';
}

/**
 * A request the browser could not make: the service is down or unreachable, or it refused
 * this site's origin (a CORS refusal looks the same from the page, by design).
 */
function unreachable(backend: string): string {
  const origin = pageOrigin();
  const cors = origin
    ? `its BOOKCHAT_CORS_ORIGINS includes this site's origin, ${origin}`
    : "its BOOKCHAT_CORS_ORIGINS includes this site's origin";
  return `Cannot reach the chat service at ${serviceUrl(backend)}. Check that it is running and that ${cors}.`;
}

/**
 * Whether Retry can help: not while the day's budget is spent (every retry would be refused
 * until the reset) nor when the service refuses this site's origin (a setting to change).
 */
export function isRetryable(error: ApiError): boolean {
  return !(error.code === 'budget_exhausted' || error.code === 'origin_not_allowed');
}

/**
 * What the reader sees for an error: one line, and whether retrying makes sense. `backend`
 * (the configured service URL) names the service in the lines that ask to check it.
 */
export function describeError(error: ApiError, backend = ''): string {
  if (error.kind === 'network') return unreachable(backend);
  if (error.kind === 'stream') {
    const wait = error.retryAfter !== undefined ? ` Try again in ${error.retryAfter} s.` : '';
    if (error.withdrawn) return `The partial answer was withdrawn: ${error.message}${wait}`;
    return `The answer was interrupted: ${error.message}${wait}`;
  }
  if (error.kind === 'protocol') return error.message;
  const detail = error.message ? ` ${error.message}` : '';
  switch (error.status) {
    case 401:
      return 'The chat service refused this site’s access key (401).';
    case 403: {
      const origin = pageOrigin();
      const site = origin ? ` (${origin})` : '';
      return error.code === 'origin_not_allowed'
        ? `The chat service at ${serviceUrl(backend)} refused this site's origin${site} (403): add it to the service's BOOKCHAT_CORS_ORIGINS.`
        : `The chat service at ${serviceUrl(backend)} refused the request (403).${detail} If this site is new, check that the service's BOOKCHAT_CORS_ORIGINS includes its origin${site}.`;
    }
    case 404:
      return 'The chat service has no such endpoint (404): check the backend URL.';
    case 413:
      return 'The question or the selected text is too long (413). Shorten it and try again.';
    case 422:
      return `The service could not accept this question (422).${detail}`;
    case 429:
      if (error.code === 'budget_exhausted') {
        return error.retryAfter !== undefined
          ? `The chat has reached today's limit; try again in ${waitInWords(error.retryAfter)}.`
          : "The chat has reached today's limit; try again tomorrow.";
      }
      return error.retryAfter !== undefined
        ? `Too many questions right now (429). Try again in ${error.retryAfter} s.`
        : 'Too many questions right now (429). Try again in a moment.';
    case 502:
      return 'The answering model returned an error (502).';
    case 503:
      return 'The answering service is unavailable right now (503).';
    case 504:
      return 'The answer took too long (504).';
    default:
      return `The chat service failed (${error.status ?? 'error'}).${detail}`;
  }
}
