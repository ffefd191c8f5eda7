/**
 * A server-sent-events parser for a fetch() body (EventSource cannot POST).
 *
 * Follows the WHATWG rules that matter here: events are separated by a blank line,
 * `event:` names the event (default "message"), several `data:` lines join with "\n",
 * lines starting with ":" are comments (the service's `: ping`), one optional space after
 * the colon is dropped, and CRLF, CR and LF all end a line. Chunks may split anywhere,
 * including inside a CRLF pair or a multi-byte character (the decoder is streaming).
 */
export class SSEParser {
    constructor() {
        this.buffer = '';
        this.eventName = '';
        this.dataLines = [];
        this.sawData = false;
        this.pendingCR = false;
    }
    /** Feed a decoded chunk; returns the events it completed. */
    push(chunk) {
        const out = [];
        let text = chunk;
        if (this.pendingCR) {
            // A CR ended the previous chunk: an LF right after it belongs to the same line end.
            if (text.startsWith('\n'))
                text = text.slice(1);
            this.pendingCR = false;
        }
        this.buffer += text;
        let start = 0;
        for (let i = 0; i < this.buffer.length; i++) {
            const ch = this.buffer[i];
            if (ch !== '\n' && ch !== '\r')
                continue;
            const line = this.buffer.slice(start, i);
            if (ch === '\r') {
                if (i + 1 < this.buffer.length) {
                    if (this.buffer[i + 1] === '\n')
                        i++;
                }
                else {
                    this.pendingCR = true;
                }
            }
            start = i + 1;
            this.line(line, out);
        }
        this.buffer = this.buffer.slice(start);
        return out;
    }
    /** The stream ended: an event without its closing blank line is discarded (per spec). */
    end() {
        this.buffer = '';
        this.reset();
        return [];
    }
    reset() {
        this.eventName = '';
        this.dataLines = [];
        this.sawData = false;
    }
    line(line, out) {
        if (line === '') {
            if (this.sawData) {
                const event = { event: this.eventName || 'message', data: this.dataLines.join('\n') };
                if (this.lastId !== undefined)
                    event.id = this.lastId;
                out.push(event);
            }
            this.reset();
            return;
        }
        if (line.startsWith(':'))
            return; // a comment: keep-alive pings
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' '))
            value = value.slice(1);
        switch (field) {
            case 'event':
                this.eventName = value;
                break;
            case 'data':
                this.dataLines.push(value);
                this.sawData = true;
                break;
            case 'id':
                if (!value.includes('\0'))
                    this.lastId = value;
                break;
            default:
                break; // `retry` and unknown fields are ignored
        }
    }
}
