// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MESSAGE, MAX_SELECTED } from '../src/core/limits';
import type { DocsContext } from '../src/core/docsContext';
import type { AssistantMessage } from '../src/core/state';
import { DEFAULT_SELECTION_QUESTION, useChat, type Chat } from '../src/ui/hooks/useChat';
import { errorReply, FakeService } from './fakeService';

const KEY = 'bookchat:v1:test';
const SOURCE = { id: 's1', text: 'IMUs drift.', metadata: { source: 'sensors/imu.md', title: 'IMU' } };

function mount(service: FakeService, pathname = '/docs/sensors/imu', docsContext?: () => DocsContext, sendPage = true) {
  return renderHook(() => useChat({ config: service.config, storageKey: KEY, sendPage, pathname, docsContext }));
}

function answer(chat: Chat, index = -1): AssistantMessage {
  const message = chat.messages.at(index);
  if (message?.role !== 'assistant') throw new Error(`message ${index} is not an answer`);
  return message;
}

/** Ask and wait for the request to reach the fake service. */
async function ask(result: { current: Chat }, service: FakeService, text: string, selected: string | null = null) {
  const before = service.calls.length;
  act(() => result.current.ask(text, selected));
  await waitFor(() => expect(service.calls).toHaveLength(before + 1));
}

async function finish(result: { current: Chat }, service: FakeService, text: string): Promise<void> {
  await act(async () => {
    service.stream.send('sources', { source_nodes: [SOURCE] });
    service.stream.send('delta', { delta: text });
    service.stream.send('done', { answer: text, request_id: 'r1', outcome: 'answered', cited: [1] });
  });
  await waitFor(() => expect(answer(result.current).status).toBe('done'));
}

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
});

describe('useChat', () => {
  it('sends the question with the reader’s page and shows an answer waiting', async () => {
    const service = new FakeService();
    const { result } = mount(service);

    await ask(result, service, '  What is an IMU?  ');

    expect(service.calls[0]).toMatchObject({ path: '/chat/stream', body: { message: 'What is an IMU?', page: '/docs/sensors/imu' } });
    expect(result.current.messages[0]).toMatchObject({ role: 'user', content: 'What is an IMU?' });
    expect(answer(result.current)).toMatchObject({ status: 'waiting', content: '' });
    expect(result.current.busy).toBe(true);
  });

  it('streams the deltas into the answer, then finishes it with the done event', async () => {
    const service = new FakeService();
    const { result } = mount(service);
    await ask(result, service, 'What is an IMU?');

    await act(async () => service.stream.send('sources', { source_nodes: [SOURCE] }));
    await waitFor(() => expect(answer(result.current).status).toBe('streaming'));
    expect(answer(result.current).sources).toEqual([SOURCE]);

    await act(async () => service.stream.send('delta', { delta: 'An IMU ' }));
    await waitFor(() => expect(answer(result.current).content).toBe('An IMU '));
    await act(async () => service.stream.send('delta', { delta: 'drifts [1].' }));
    await waitFor(() => expect(answer(result.current).content).toBe('An IMU drifts [1].'));
    expect(result.current.busy).toBe(true);

    await act(async () => service.stream.send('done', { answer: 'An IMU drifts [1].', request_id: 'r1', cited: [1] }));
    await waitFor(() => expect(answer(result.current).status).toBe('done'));
    expect(answer(result.current)).toMatchObject({ requestId: 'r1', cited: [1], outcome: 'answered' });
    expect(result.current.busy).toBe(false);
    expect(result.current.announcement).toBe('Answer: An IMU drifts [1].');
  });

  it('a follow-up carries the earlier turns as history', async () => {
    const service = new FakeService();
    const { result } = mount(service);
    await ask(result, service, 'What is an IMU?');
    await finish(result, service, 'A sensor [1].');

    await ask(result, service, 'Does it drift?');

    expect(service.calls[1]!.body.history).toEqual([
      { role: 'user', content: 'What is an IMU?' },
      { role: 'assistant', content: 'A sensor [1].' },
    ]);
  });

  it('an error event mid-stream fails the answer with its message, and retry asks again', async () => {
    const service = new FakeService();
    const { result } = mount(service);
    await ask(result, service, 'What is an IMU?');

    await act(async () => {
      service.stream.send('delta', { delta: 'An IMU' });
      service.stream.send('error', { code: 'upstream_unavailable', message: 'The model is unavailable.' });
    });
    await waitFor(() => expect(answer(result.current).status).toBe('error'));
    const failed = answer(result.current);
    expect(failed.error).toMatchObject({ code: 'upstream_unavailable', text: 'The answer was interrupted: The model is unavailable.' });
    expect(result.current.announcement).toBe(failed.error!.text);
    expect(result.current.busy).toBe(false);

    act(() => result.current.retry(failed));
    await waitFor(() => expect(service.calls).toHaveLength(2));
    expect(service.calls[1]!.body).toEqual(service.calls[0]!.body);
    expect(result.current.messages).toHaveLength(2);
    expect(answer(result.current)).toMatchObject({ id: failed.id, status: 'waiting', content: '' });
  });

  it('an error event that withdraws the partial answer replaces its text with the notice', async () => {
    const service = new FakeService();
    const { result } = mount(service);
    await ask(result, service, 'What is an IMU?');

    await act(async () => service.stream.send('delta', { delta: 'An IMU measures' }));
    await waitFor(() => expect(answer(result.current).content).toBe('An IMU measures'));
    await act(async () => {
      service.stream.send('error', {
        code: 'answer_blocked',
        message: 'the model stopped its answer early (MAX_TOKENS)',
        withdrawn: true,
      });
    });
    await waitFor(() => expect(answer(result.current).status).toBe('error'));
    const failed = answer(result.current);
    expect(failed.content).toBe('');
    expect(failed.error).toMatchObject({
      code: 'answer_blocked',
      withdrawn: true,
      text: 'The partial answer was withdrawn: the model stopped its answer early (MAX_TOKENS)',
    });
    expect(result.current.announcement).toBe(failed.error!.text);
  });

  it('an HTTP error fails the answer with the line for its status', async () => {
    const service = new FakeService();
    service.replies.push(errorReply(503, 'unavailable', 'Shutting down.'));
    const { result } = mount(service);

    act(() => result.current.ask('What is an IMU?', null));
    await waitFor(() => expect(answer(result.current).status).toBe('error'));

    expect(answer(result.current).error).toMatchObject({ status: 503, text: 'The answering service is unavailable right now (503).' });
  });

  it('asks again without `page` when the service refuses the field', async () => {
    const service = new FakeService();
    service.replies.push(errorReply(422, 'invalid_request', "body.page: Extra inputs are not permitted"));
    const { result } = mount(service);

    await ask(result, service, 'What is an IMU?');
    await waitFor(() => expect(service.calls).toHaveLength(2));

    expect(service.calls[0]!.body.page).toBe('/docs/sensors/imu');
    expect(service.calls[1]!.body).toEqual({ message: 'What is an IMU?' });
  });

  it('sends the page’s docs version and locale with the question', async () => {
    const service = new FakeService();
    const { result } = mount(service, '/fr/docs/1.0/intro', () => ({ version: '1.0', locale: 'fr' }));

    await ask(result, service, 'Qu’est-ce qu’une IMU ?');

    expect(service.calls[0]!.body).toMatchObject({ page: '/fr/docs/1.0/intro', version: '1.0', locale: 'fr' });
  });

  it('reads the version and locale when the question is asked, not when the widget mounted', async () => {
    const service = new FakeService();
    let context: DocsContext = { version: '2.0', locale: 'en' };
    const { result } = mount(service, '/docs/intro', () => context);
    context = { locale: 'en' }; // the reader moved to a blog post: no docs version

    await ask(result, service, 'What is new?');

    expect(service.calls[0]!.body).toMatchObject({ locale: 'en' });
    expect(service.calls[0]!.body).not.toHaveProperty('version');
  });

  it('sends the version and locale even when the page path is not sent', async () => {
    const service = new FakeService();
    const { result } = mount(service, '/docs/1.0/intro', () => ({ version: '1.0', locale: 'en' }), false);

    await ask(result, service, 'What is an IMU?');

    expect(service.calls[0]!.body).toEqual({ message: 'What is an IMU?', version: '1.0', locale: 'en' });
  });

  it('a retry sends the version and locale of the page the question was asked on', async () => {
    const service = new FakeService();
    let context: DocsContext = { version: '1.0', locale: 'fr' };
    service.replies.push(errorReply(503, 'upstream_unavailable', 'down'));
    const { result } = mount(service, '/fr/docs/1.0/intro', () => context);
    await ask(result, service, 'Pourquoi ?');
    await waitFor(() => expect(answer(result.current).status).toBe('error'));
    context = { version: '2.0', locale: 'en' };

    act(() => result.current.retry(answer(result.current)));
    await waitFor(() => expect(service.calls).toHaveLength(2));

    expect(service.calls[1]!.body).toMatchObject({ version: '1.0', locale: 'fr' });
  });

  it('asks again without `version` and `locale` when an older service refuses them', async () => {
    const service = new FakeService();
    service.replies.push(errorReply(422, 'invalid_request', 'body.version: Extra inputs are not permitted; body.locale: Extra inputs are not permitted'));
    const { result } = mount(service, '/docs/1.0/intro', () => ({ version: '1.0', locale: 'en' }));

    await ask(result, service, 'What is an IMU?');
    await waitFor(() => expect(service.calls).toHaveLength(2));

    expect(service.calls[1]!.body).toEqual({ message: 'What is an IMU?', page: '/docs/1.0/intro' });
  });

  it('stop aborts the stream and keeps what arrived as a stopped answer', async () => {
    const service = new FakeService();
    const { result } = mount(service);
    await ask(result, service, 'What is an IMU?');
    await act(async () => service.stream.send('delta', { delta: 'An IMU' }));
    await waitFor(() => expect(answer(result.current).content).toBe('An IMU'));

    act(() => result.current.stop());

    await waitFor(() => expect(answer(result.current).status).toBe('stopped'));
    expect(service.calls[0]!.signal?.aborted).toBe(true);
    expect(answer(result.current).content).toBe('An IMU');
    expect(result.current.announcement).toBe('Answer stopped.');
    expect(result.current.busy).toBe(false);
  });

  it('closing the widget (unmount) aborts the running stream', async () => {
    const service = new FakeService();
    const { result, unmount } = mount(service);
    await ask(result, service, 'What is an IMU?');

    unmount();

    expect(service.calls[0]!.signal?.aborted).toBe(true);
  });

  it('asks nothing while an answer is running', async () => {
    const service = new FakeService();
    const { result } = mount(service);
    await ask(result, service, 'What is an IMU?');

    act(() => result.current.ask('And a gyroscope?', null));

    expect(service.calls).toHaveLength(1);
    expect(result.current.messages).toHaveLength(2);
  });

  it('a selection alone asks the default question about it, both cut to the API’s limits', async () => {
    const service = new FakeService();
    const { result } = mount(service);

    await ask(result, service, '', 'x'.repeat(MAX_SELECTED + 10));
    expect(service.calls[0]!.body).toMatchObject({ message: DEFAULT_SELECTION_QUESTION });
    expect(service.calls[0]!.body.selected_text).toHaveLength(MAX_SELECTED);
    act(() => result.current.stop());
    await waitFor(() => expect(result.current.busy).toBe(false));

    await ask(result, service, 'y'.repeat(MAX_MESSAGE + 10));
    expect(service.calls[1]!.body.message).toHaveLength(MAX_MESSAGE);
  });

  it('the conversation survives a remount (navigation, reload) through sessionStorage', async () => {
    const service = new FakeService();
    const first = mount(service);
    await ask(first.result, service, 'What is an IMU?');
    await finish(first.result, service, 'A sensor [1].');
    first.unmount();

    const { result } = mount(service);

    expect(result.current.messages.map((m) => m.content)).toEqual(['What is an IMU?', 'A sensor [1].']);
  });

  it('clear aborts the running answer and empties the conversation', async () => {
    const service = new FakeService();
    const { result } = mount(service);
    await ask(result, service, 'What is an IMU?');

    act(() => result.current.clear());

    expect(service.calls[0]!.signal?.aborted).toBe(true);
    expect(result.current.messages).toEqual([]);
    expect(window.sessionStorage.getItem(KEY)).toBeNull();
  });

  it('a rating is sent as feedback on the answer’s request id', async () => {
    const service = new FakeService();
    const { result } = mount(service);
    await ask(result, service, 'What is an IMU?');
    await finish(result, service, 'A sensor [1].');

    await act(() => result.current.rate(answer(result.current), 'up'));

    expect(service.calls[1]).toMatchObject({ path: '/feedback', body: { request_id: 'r1', rating: 'up' } });
    expect(answer(result.current)).toMatchObject({ rating: 'up', feedback: 'sent' });
  });
});
