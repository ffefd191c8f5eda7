export const PLUGIN_NAME = 'docusaurus-plugin-bookchat';
export function normalizeOptions(raw) {
    const input = (raw && typeof raw === 'object' ? raw : {});
    const known = new Set(['id', 'backend', 'apiKey', 'title', 'sendPage']);
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
    return options;
}
