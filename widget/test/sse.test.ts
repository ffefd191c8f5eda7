import { describe, expect, it } from 'vitest';
import { SSEParser, type SSEEvent } from '../src/core/sse';

function parseAll(chunks: string[]): SSEEvent[] {
  const parser = new SSEParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return [...events, ...parser.end()];
}

const STREAM =
  'event: sources\ndata: {"source_nodes": []}\n\n' +
  ': ping\n\n' +
  'event: delta\ndata: {"delta": "An IMU "}\n\n' +
  'event: delta\ndata: {"delta": "measures."}\n\n' +
  'event: done\ndata: {"answer": "An IMU measures.", "request_id": "r1"}\n\n';

describe('SSEParser', () => {
  it('parses named events and skips comment lines', () => {
    const events = parseAll([STREAM]);
    expect(events.map((e) => e.event)).toEqual(['sources', 'delta', 'delta', 'done']);
    expect(JSON.parse(events[1]!.data)).toEqual({ delta: 'An IMU ' });
  });

  it('gives the same events however the stream is split, one character at a time too', () => {
    const whole = parseAll([STREAM]);
    expect(parseAll(STREAM.split(''))).toEqual(whole);
    for (const size of [2, 3, 7, 16]) {
      const chunks: string[] = [];
      for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
      expect(parseAll(chunks)).toEqual(whole);
    }
  });

  it('accepts CRLF and CR line ends, even when a CRLF pair is split across chunks', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    expect(parseAll([crlf])).toEqual(parseAll([STREAM]));
    expect(parseAll(crlf.split(''))).toEqual(parseAll([STREAM]));
    expect(parseAll([STREAM.replace(/\n/g, '\r')])).toEqual(parseAll([STREAM]));
  });

  it('joins several data lines with newlines and drops only one leading space', () => {
    expect(parseAll(['data: a\ndata:  b\ndata:c\n\n'])).toEqual([{ event: 'message', data: 'a\n b\nc' }]);
  });

  it('ignores unknown fields, retry and events without data; keeps the last id', () => {
    const events = parseAll(['retry: 100\nfoo: bar\nevent: x\n\nid: 7\nevent: y\ndata: 1\n\n']);
    expect(events).toEqual([{ event: 'y', data: '1', id: '7' }]);
  });

  it('drops an event cut off before its blank line', () => {
    expect(parseAll(['event: delta\ndata: {"delta": "x"}\n'])).toEqual([]);
  });

  it('a ping between the lines of an event does not end it', () => {
    expect(parseAll(['event: delta\n: ping\ndata: {"delta":"x"}\n\n'])).toEqual([
      { event: 'delta', data: '{"delta":"x"}' },
    ]);
  });
});
