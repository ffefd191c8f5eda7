// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_SELECTED } from '../src/core/limits';
import { useSelectionHint } from '../src/ui/hooks/useSelectionHint';

// jsdom lays nothing out: a selection's rectangle is what the test says it is.
const RECT = { left: 100, top: 200, right: 300, bottom: 220, width: 200, height: 20, x: 100, y: 200 };
let rect = RECT;

function paragraph(text: string, parent: HTMLElement = document.body): HTMLElement {
  const p = document.createElement('p');
  p.textContent = text;
  parent.appendChild(p);
  return p;
}

/** Select the element's text, as a reader's drag does, and let the selection settle. */
function select(element: HTMLElement): void {
  act(() => {
    window.getSelection()!.selectAllChildren(element);
    document.dispatchEvent(new Event('selectionchange'));
    vi.runAllTimers();
  });
}

function mount() {
  const widget = document.createElement('div');
  document.body.appendChild(widget);
  const rootRef = { current: widget };
  const hook = renderHook(() => useSelectionHint(rootRef));
  return { widget, ...hook };
}

beforeEach(() => {
  vi.useFakeTimers();
  rect = RECT;
  Range.prototype.getBoundingClientRect = () => rect as DOMRect;
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  window.getSelection()?.removeAllRanges();
  document.body.replaceChildren();
});

describe('useSelectionHint', () => {
  it('captures a selection made on the page, with a place for the button below it', () => {
    const { result } = mount();

    select(paragraph('An IMU drifts over time.'));

    expect(result.current[0]).toEqual({ text: 'An IMU drifts over time.', top: 228, left: 130 });
  });

  it('waits for the selection to settle', () => {
    const { result } = mount();

    act(() => {
      window.getSelection()!.selectAllChildren(paragraph('An IMU drifts.'));
      document.dispatchEvent(new Event('selectionchange'));
    });

    expect(result.current[0]).toBeNull();
  });

  it('cuts a long selection to the API’s limit', () => {
    const { result } = mount();

    select(paragraph('x'.repeat(MAX_SELECTED + 100)));

    expect(result.current[0]?.text).toHaveLength(MAX_SELECTED);
  });

  it('ignores a selection inside the widget', () => {
    const { result, widget } = mount();

    select(paragraph('An answer in the panel.', widget));

    expect(result.current[0]).toBeNull();
  });

  it('ignores a selection of less than two characters', () => {
    const { result } = mount();

    select(paragraph('a'));

    expect(result.current[0]).toBeNull();
  });

  it('drops the hint when the selection goes away', () => {
    const { result } = mount();
    select(paragraph('An IMU drifts.'));

    act(() => {
      window.getSelection()!.removeAllRanges();
      document.dispatchEvent(new Event('pointerup'));
      vi.runAllTimers();
    });

    expect(result.current[0]).toBeNull();
  });

  it('dismiss hides the hint', () => {
    const { result } = mount();
    select(paragraph('An IMU drifts.'));

    act(() => result.current[1]());

    expect(result.current[0]).toBeNull();
  });
});
