/**
 * The starter questions of the page being read. In Docusaurus the plugin's DocItem/Metadata
 * wrapper reports the docs page's `chat_questions` front matter here (it renders inside the
 * doc page, where `useDoc()` works; the widget's <Root> is above it) and reports null when
 * the page goes away. Elsewhere nothing is reported.
 */
import { useSyncExternalStore } from 'react';
const EMPTY = [];
let reported = EMPTY;
const listeners = new Set();
export function reportPageQuestions(questions) {
    const next = questions && questions.length ? questions : EMPTY;
    if (next === reported || (next.length === reported.length && next.every((q, i) => q === reported[i])))
        return;
    reported = next;
    listeners.forEach((listener) => listener());
}
function subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
}
/** The current docs page's questions ([] outside a docs page or without front matter). */
export function usePageQuestions() {
    return useSyncExternalStore(subscribe, () => reported, () => EMPTY);
}
