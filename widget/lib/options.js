/** The plugin's options (docusaurus.config.js) and their validation; shared by server and client. */
import { MAX_STARTERS } from './core/help';
export const PLUGIN_NAME = 'docusaurus-plugin-bookchat';
export function normalizeOptions(raw) {
    const input = (raw && typeof raw === 'object' ? raw : {});
    const known = new Set(['id', 'backend', 'apiKey', 'title', 'sendPage', 'helpUrl', 'helpLabel', 'starterQuestions']);
    for (const key of Object.keys(input)) {
        if (!known.has(key))
            throw new Error(`${PLUGIN_NAME}: unknown option "${key}"`);
    }
    const backend = input.backend ?? '';
    if (typeof backend !== 'string')
        throw new Error(`${PLUGIN_NAME}: "backend" must be a string URL`);
    if (backend && !/^https?:\/\/[^\s/]+/.test(backend)) {
        throw new Error(`${PLUGIN_NAME}: "backend" must be an http(s) URL or "" (same origin), got "${backend}"`);
    }
    const options = { backend: backend.replace(/\/+$/, '') };
    if (input.apiKey !== undefined && input.apiKey !== '') {
        if (typeof input.apiKey !== 'string')
            throw new Error(`${PLUGIN_NAME}: "apiKey" must be a string`);
        options.apiKey = input.apiKey;
    }
    if (input.title !== undefined) {
        if (typeof input.title !== 'string' || !input.title.trim())
            throw new Error(`${PLUGIN_NAME}: "title" must be a non-empty string`);
        options.title = input.title;
    }
    if (input.sendPage !== undefined) {
        if (typeof input.sendPage !== 'boolean')
            throw new Error(`${PLUGIN_NAME}: "sendPage" must be a boolean`);
        options.sendPage = input.sendPage;
    }
    if (input.helpUrl !== undefined && input.helpUrl !== '') {
        if (typeof input.helpUrl !== 'string' || !/^(https?:\/\/|mailto:|\/)/i.test(input.helpUrl.trim())) {
            throw new Error(`${PLUGIN_NAME}: "helpUrl" must be an http(s) or mailto: URL or a site path, got "${String(input.helpUrl)}"`);
        }
        options.helpUrl = input.helpUrl.trim();
    }
    if (input.helpLabel !== undefined) {
        if (typeof input.helpLabel !== 'string' || !input.helpLabel.trim())
            throw new Error(`${PLUGIN_NAME}: "helpLabel" must be a non-empty string`);
        options.helpLabel = input.helpLabel.trim();
    }
    if (input.starterQuestions !== undefined) {
        const list = input.starterQuestions;
        if (!Array.isArray(list) || !list.every((q) => typeof q === 'string' && q.trim())) {
            throw new Error(`${PLUGIN_NAME}: "starterQuestions" must be a list of non-empty strings`);
        }
        options.starterQuestions = list.map((q) => q.trim()).slice(0, MAX_STARTERS);
    }
    return options;
}
