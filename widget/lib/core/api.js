/** The HTTP client: POST /chat/stream read as server-sent events, POST /feedback. */
import { waitInWords } from './help';
import { SSEParser } from './sse';
export class ApiError extends Error {
    constructor(kind, message, status, code, retryAfter, 
    /** A stream's `error` withdrew the text its deltas brought (docs/api.md). */
    withdrawn = false) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
        this.withdrawn = withdrawn;
        this.name = 'ApiError';
    }
}
export function endpoint(backend, path) {
    return `${backend.trim().replace(/\/+$/, '')}${path}`;
}
export function requestHeaders(config, extra = {}) {
    const headers = { 'Content-Type': 'application/json', ...extra };
    if (config.apiKey)
        headers.Authorization = `Bearer ${config.apiKey}`;
    return headers;
}
/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value, now = Date.now()) {
    if (!value)
        return undefined;
    if (/^\s*\d+\s*$/.test(value))
        return Number.parseInt(value, 10);
    const at = Date.parse(value);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, Math.ceil((at - now) / 1000));
}
async function errorFrom(response) {
    let code;
    let message = response.statusText || `HTTP ${response.status}`;
    try {
        const body = (await response.json());
        if (body && typeof body.error === 'object' && body.error) {
            if (typeof body.error.code === 'string')
                code = body.error.code;
            if (typeof body.error.message === 'string')
                message = body.error.message;
        }
    }
    catch {
        // not JSON: keep the status text
    }
    return new ApiError('http', message, response.status, code, parseRetryAfter(response.headers.get('Retry-After')));
}
function newRequestId() {
    const c = globalThis.crypto;
    return c && typeof c.randomUUID === 'function' ? c.randomUUID() : undefined;
}
async function send(config, path, body, signal, accept) {
    const doFetch = config.fetch ?? fetch;
    const extra = {};
    if (accept)
        extra.Accept = accept;
    const id = newRequestId();
    if (id)
        extra['X-Request-ID'] = id;
    try {
        return await doFetch(endpoint(config.backend, path), {
            method: 'POST',
            headers: requestHeaders(config, extra),
            body: JSON.stringify(body),
            signal,
            credentials: 'omit',
        });
    }
    catch (error) {
        if (signal?.aborted)
            throw error;
        throw new ApiError('network', error instanceof Error ? error.message : String(error));
    }
}
function parseJson(data) {
    try {
        return JSON.parse(data);
    }
    catch {
        throw new ApiError('protocol', 'The service sent an event that is not JSON.');
    }
}
/**
 * Ask a question and read the answer as it streams. Resolves with the `done` event;
 * rejects with an ApiError (HTTP status, stream `error` event, network, cut stream) or,
 * when `signal` aborts, with the fetch's AbortError.
 */
export async function streamChat(config, request, handlers, signal) {
    const response = await send(config, '/chat/stream', request, signal, 'text/event-stream');
    if (!response.ok)
        throw await errorFrom(response);
    if (!response.body)
        throw new ApiError('protocol', 'The service sent no stream.');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SSEParser();
    try {
        for (;;) {
            let chunk;
            try {
                chunk = await reader.read();
            }
            catch (error) {
                if (signal?.aborted)
                    throw error;
                throw new ApiError('network', 'The connection dropped while the answer was arriving.');
            }
            const text = chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
            const events = parser.push(text);
            if (chunk.done)
                events.push(...parser.end());
            for (const event of events) {
                switch (event.event) {
                    case 'sources': {
                        const data = parseJson(event.data);
                        handlers.onSources?.(Array.isArray(data.source_nodes) ? data.source_nodes : []);
                        break;
                    }
                    case 'delta': {
                        const data = parseJson(event.data);
                        if (typeof data.delta === 'string' && data.delta)
                            handlers.onDelta?.(data.delta);
                        break;
                    }
                    case 'done': {
                        const done = parseJson(event.data);
                        handlers.onDone?.(done);
                        return done;
                    }
                    case 'error': {
                        const data = parseJson(event.data);
                        const wait = typeof data.retry_after === 'number' ? data.retry_after : undefined;
                        throw new ApiError('stream', data.message || 'The answer failed.', undefined, data.code, wait, data.withdrawn === true);
                    }
                    default:
                        break; // unknown events are ignored, for forward compatibility
                }
            }
            if (chunk.done)
                throw new ApiError('protocol', 'The answer stopped before it was complete.');
        }
    }
    finally {
        reader.cancel().catch(() => undefined);
    }
}
/** POST /feedback; resolves on 2xx, rejects with an ApiError otherwise. */
export async function sendFeedback(config, feedback, signal) {
    const response = await send(config, '/feedback', feedback, signal);
    if (!response.ok)
        throw await errorFrom(response);
}
/** The page's origin (`https://docs.example.org`), or undefined outside a browser. */
function pageOrigin() {
    const origin = globalThis.location?.origin;
    return origin && origin !== 'null' ? origin : undefined;
}
/** The service's URL as the reader should check it: the backend, or the page's origin for "". */
export function serviceUrl(backend) {
    const base = backend.trim().replace(/\/+$/, '');
    return base || pageOrigin() || 'this site';
}
/**
 * A request the browser could not make: the service is down or unreachable, or it refused
 * this site's origin (a CORS refusal looks the same from the page, by design).
 */
function unreachable(backend) {
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
export function isRetryable(error) {
    return !(error.code === 'budget_exhausted' || error.code === 'origin_not_allowed');
}
/**
 * What the reader sees for an error: one line, and whether retrying makes sense. `backend`
 * (the configured service URL) names the service in the lines that ask to check it.
 */
export function describeError(error, backend = '') {
    if (error.kind === 'network')
        return unreachable(backend);
    if (error.kind === 'stream') {
        const wait = error.retryAfter !== undefined ? ` Try again in ${error.retryAfter} s.` : '';
        if (error.withdrawn)
            return `The partial answer was withdrawn: ${error.message}${wait}`;
        return `The answer was interrupted: ${error.message}${wait}`;
    }
    if (error.kind === 'protocol')
        return error.message;
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
