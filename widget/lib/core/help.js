/**
 * Where the reader goes on: the help link (the service's `help` with a "not in the book"
 * answer, or the site's `helpUrl` option) and the starter questions on the empty panel.
 */
import { MAX_MESSAGE } from './limits';
export const DEFAULT_HELP_LABEL = 'Ask the authors';
/** The most starter questions shown. */
export const MAX_STARTERS = 6;
/** Only http(s), mailto and site paths: a help link is never `javascript:`. */
const SAFE_URL = /^(https?:\/\/|mailto:|\/(?!\/))/i;
/** A help link from the service's `help` (or the options), or undefined when it is not one. */
export function helpFrom(value) {
    if (!value || typeof value !== 'object')
        return undefined;
    const { url, label } = value;
    if (typeof url !== 'string' || !SAFE_URL.test(url.trim()))
        return undefined;
    const text = typeof label === 'string' && label.trim() ? label.trim() : DEFAULT_HELP_LABEL;
    return { url: url.trim(), label: text };
}
/** Starter questions from a list (front matter `chat_questions`, an option): the non-empty strings, at most MAX_STARTERS. */
export function questionsFrom(value) {
    if (!Array.isArray(value))
        return [];
    const out = [];
    for (const item of value) {
        if (typeof item !== 'string')
            continue;
        const question = item.trim().slice(0, MAX_MESSAGE);
        if (question && !out.includes(question))
            out.push(question);
    }
    return out.slice(0, MAX_STARTERS);
}
/**
 * "1 hour", "3 hours", "12 minutes", "40 seconds": a wait in words, rounded up to the unit
 * (a budget that resets in 2 h 10 min is "3 hours": the reader is not sent back too early).
 */
export function waitInWords(seconds) {
    const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
    if (seconds >= 3600)
        return plural(Math.ceil(seconds / 3600), 'hour');
    if (seconds >= 60)
        return plural(Math.ceil(seconds / 60), 'minute');
    return plural(Math.max(1, Math.ceil(seconds)), 'second');
}
