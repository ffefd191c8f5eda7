/** The conversation: a reducer (no React import), the bounded history, persistence. */
import { citedIndices } from './citations';
import { helpFrom } from './help';
import { MAX_HISTORY, MAX_TURN } from './limits';
import { checkedSentences } from './sentences';
export const initialState = { messages: [] };
function update(state, id, change) {
    return {
        messages: state.messages.map((m) => (m.id === id && m.role === 'assistant' ? change(m) : m)),
    };
}
export function reducer(state, action) {
    switch (action.type) {
        case 'ask':
            return {
                messages: [
                    ...state.messages,
                    action.user,
                    { id: action.assistantId, role: 'assistant', replyTo: action.user.id, content: '', status: 'waiting', sources: [] },
                ],
            };
        case 'retry':
            return update(state, action.id, (m) => ({
                id: m.id,
                role: 'assistant',
                replyTo: m.replyTo,
                content: '',
                status: 'waiting',
                sources: [],
            }));
        case 'sources':
            return update(state, action.id, (m) => ({ ...m, sources: action.sources, status: 'streaming' }));
        case 'delta':
            return update(state, action.id, (m) => ({ ...m, content: m.content + action.delta, status: 'streaming' }));
        case 'done':
            return update(state, action.id, (m) => {
                const content = typeof action.done.answer === 'string' ? action.done.answer : m.content;
                const cited = Array.isArray(action.done.cited) ? action.done.cited : citedIndices(content, m.sources);
                const help = helpFrom(action.done.help);
                const sentences = checkedSentences(action.done.sentences);
                return {
                    ...m,
                    ...(help ? { help } : {}),
                    ...(sentences.length ? { sentences } : {}),
                    content,
                    status: 'done',
                    outcome: typeof action.done.outcome === 'string' ? action.done.outcome : 'answered',
                    cited,
                    requestId: typeof action.done.request_id === 'string' ? action.done.request_id : m.requestId,
                };
            });
        case 'stopped':
            return update(state, action.id, (m) => (m.status === 'waiting' || m.status === 'streaming' ? { ...m, status: 'stopped' } : m));
        case 'failed':
            return update(state, action.id, (m) => ({
                ...m,
                content: action.error.withdrawn ? '' : m.content,
                status: 'error',
                error: action.error,
            }));
        case 'rate':
            return update(state, action.id, (m) => ({ ...m, rating: action.rating, feedback: action.feedback }));
        case 'feedback':
            return update(state, action.id, (m) => ({ ...m, feedback: action.feedback }));
        case 'clear':
            return initialState;
    }
}
/**
 * The turns before message `beforeId` (oldest first), as docs/api.md bounds them
 * (./limits.ts): at most MAX_HISTORY turns of 1..MAX_TURN characters. Unanswered or
 * failed answers are left out; an answer stopped midway counts with what arrived.
 */
export function historyBefore(state, beforeId) {
    const turns = [];
    for (const m of state.messages) {
        if (m.id === beforeId)
            break;
        if (m.role === 'user') {
            turns.push({ role: 'user', content: m.content });
        }
        else if ((m.status === 'done' || m.status === 'stopped') && m.content.trim()) {
            turns.push({ role: 'assistant', content: m.content });
        }
    }
    return turns
        .filter((t) => t.content.trim())
        .slice(-MAX_HISTORY)
        .map((t) => ({ role: t.role, content: t.content.length > MAX_TURN ? t.content.slice(0, MAX_TURN) : t.content }));
}
/** The service's help link of the latest answer that carried one (the fallback after a thumbs-down). */
export function latestHelp(state) {
    for (let i = state.messages.length - 1; i >= 0; i -= 1) {
        const m = state.messages[i];
        if (m && m.role === 'assistant' && m.help)
            return m.help;
    }
    return undefined;
}
export function isBusy(state) {
    return state.messages.some((m) => m.role === 'assistant' && (m.status === 'waiting' || m.status === 'streaming'));
}
/** After a reload, an answer that was streaming can no longer finish: it counts as stopped. */
export function revive(value) {
    if (!value || typeof value !== 'object' || !Array.isArray(value.messages))
        return initialState;
    const messages = value.messages.filter((m) => !!m && typeof m === 'object' && typeof m.id === 'string' && (m.role === 'user' || m.role === 'assistant'));
    return {
        messages: messages.map((m) => m.role === 'assistant' && (m.status === 'waiting' || m.status === 'streaming')
            ? { ...m, status: 'stopped', sources: Array.isArray(m.sources) ? m.sources : [] }
            : m.role === 'assistant'
                ? { ...m, sources: Array.isArray(m.sources) ? m.sources : [] }
                : m),
    };
}
export function loadState(store, key) {
    if (!store)
        return initialState;
    try {
        const raw = store.getItem(key);
        return raw ? revive(JSON.parse(raw)) : initialState;
    }
    catch {
        return initialState;
    }
}
export function saveState(store, key, state) {
    if (!store)
        return;
    try {
        if (state.messages.length)
            store.setItem(key, JSON.stringify(state));
        else
            store.removeItem(key);
    }
    catch {
        // storage full or disabled: the conversation lives in memory only
    }
}
