// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { usePanel } from '../src/ui/hooks/usePanel';

const KEY = 'bookchat:v1:test';

function mount() {
  const input = document.createElement('textarea');
  const launcher = document.createElement('button');
  document.body.append(input, launcher);
  const hook = renderHook(() => usePanel(KEY, { current: input }, { current: launcher }));
  return { input, launcher, ...hook };
}

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  document.body.replaceChildren();
});

describe('usePanel', () => {
  it('starts closed', () => {
    const { result } = mount();

    expect(result.current[0]).toBe(false);
  });

  it('opening puts the focus in the question, closing back on the launcher', () => {
    const { result, input, launcher } = mount();

    act(() => result.current[1](true));
    expect(document.activeElement).toBe(input);

    act(() => result.current[1](false));
    expect(document.activeElement).toBe(launcher);
  });

  it('a panel left open is open again after navigation, with the focus in the question', () => {
    const first = mount();
    act(() => first.result.current[1](true));
    first.unmount();
    document.body.replaceChildren();

    const { result, input } = mount();

    expect(result.current[0]).toBe(true);
    expect(document.activeElement).toBe(input);
  });
});
