import { describe, expect, it } from 'vitest';
import { normalizeOptions } from '../src/options';
import { validateOptions } from '../src/plugin/index';

describe('plugin options', () => {
  it('keeps the backend (without a trailing slash), the key and the title', () => {
    expect(normalizeOptions({ backend: 'https://chat.example.org/', apiKey: 'k', title: 'Ask' })).toEqual({
      backend: 'https://chat.example.org',
      apiKey: 'k',
      title: 'Ask',
    });
    expect(normalizeOptions({})).toEqual({ backend: '' });
  });

  it('refuses a bad backend, a misspelt option and wrong types, naming them', () => {
    expect(() => normalizeOptions({ backend: 'chat.example.org' })).toThrow(/backend/);
    expect(() => normalizeOptions({ backnd: 'https://x' })).toThrow(/unknown option "backnd"/);
    expect(() => normalizeOptions({ apiKey: 3 })).toThrow(/apiKey/);
    expect(() => normalizeOptions({ sendPage: 'no' })).toThrow(/sendPage/);
  });

  it('gives Docusaurus the plugin id back ("default" unless set)', () => {
    expect(validateOptions({ options: { backend: 'http://127.0.0.1:8000' } })).toEqual({
      backend: 'http://127.0.0.1:8000',
      id: 'default',
    });
    expect(validateOptions({ options: { id: 'second' } }).id).toBe('second');
  });
});
