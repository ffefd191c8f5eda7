// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useShortcut } from '../src/ui/hooks/useShortcut';

function mount(initiallyOpen: boolean) {
  const widget = document.createElement('div');
  widget.appendChild(document.createElement('textarea'));
  document.body.appendChild(widget);
  const rootRef = { current: widget };
  const hook = renderHook(() => {
    const [open, setOpen] = useState(initiallyOpen);
    useShortcut(open, setOpen, rootRef);
    return open;
  });
  return { widget, ...hook };
}

function press(key: string, modifiers: KeyboardEventInit = {}, target: EventTarget = document): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers });
  act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

afterEach(() => {
  cleanup();
  (document.activeElement as HTMLElement | null)?.blur();
  document.body.replaceChildren();
});

describe('useShortcut', () => {
  it('Ctrl+Shift+K opens the panel and closes it again, taking the key from the browser', () => {
    const { result } = mount(false);

    const first = press('K', { ctrlKey: true, shiftKey: true });
    expect(result.current).toBe(true);
    expect(first.defaultPrevented).toBe(true);

    press('K', { ctrlKey: true, shiftKey: true });
    expect(result.current).toBe(false);
  });

  it('Cmd+Shift+K toggles too', () => {
    const { result } = mount(false);

    press('k', { metaKey: true, shiftKey: true });

    expect(result.current).toBe(true);
  });

  it('leaves other chords alone', () => {
    const { result } = mount(false);

    press('K', { ctrlKey: true, shiftKey: true, altKey: true });
    press('K', { ctrlKey: true });

    expect(result.current).toBe(false);
  });

  it('Esc closes the panel when the focus is inside the widget', () => {
    const { result, widget } = mount(true);
    const input = widget.querySelector('textarea')!;
    input.focus();

    press('Escape', {}, input);

    expect(result.current).toBe(false);
  });

  it('Esc with the focus on the page (not in the panel) leaves the panel open', () => {
    const { result } = mount(true);

    press('Escape');

    expect(result.current).toBe(true);
  });

  it('Esc still closes the panel when its focused control went away (focus fell to the body)', () => {
    const { result, widget } = mount(true);
    const button = document.createElement('button');
    widget.appendChild(button);
    button.focus();
    button.disabled = true; // a thumb, disabled once pressed
    button.blur();

    press('Escape');

    expect(result.current).toBe(false);
  });

  it('Esc after a click on the page (outside the panel) leaves the panel open', () => {
    const { result, widget } = mount(true);
    widget.querySelector('textarea')!.focus();
    act(() => {
      document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    });
    (document.activeElement as HTMLElement).blur();

    press('Escape');

    expect(result.current).toBe(true);
  });

  it('Esc in one of the page’s own controls leaves the panel open', () => {
    const { result } = mount(true);
    const search = document.createElement('input');
    document.body.appendChild(search);
    search.focus();

    press('Escape', {}, search);

    expect(result.current).toBe(true);
  });

  it('Esc that the page already handled leaves the panel open', () => {
    const { result, widget } = mount(true);
    const input = widget.querySelector('textarea')!;
    input.focus();
    const handled = (event: Event): void => event.preventDefault();
    document.body.addEventListener('keydown', handled);

    press('Escape', {}, input);

    document.body.removeEventListener('keydown', handled);
    expect(result.current).toBe(true);
  });
});
