// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { LIFT_GAP, liftFor, pageModalOpen, type Box } from '../src/ui/hooks/usePageChrome';

// A launcher 52 px square, 20 px from the right and bottom of a 1280 x 860 viewport.
const LAUNCHER: Box = { left: 1208, right: 1260, top: 788, bottom: 840 };
// The classic theme's back-to-top button: 48 px, 20.8 px from the right and bottom.
const BACK_TO_TOP: Box = { left: 1211.2, right: 1259.2, top: 791.2, bottom: 839.2 };

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
}

function lifted(box: Box, lift: number): Box {
  return { ...box, top: box.top - lift, bottom: box.bottom - lift };
}

afterEach(() => document.body.replaceChildren());

describe('liftFor', () => {
  it('nothing in the way: the launcher stays where it is', () => {
    expect(liftFor(LAUNCHER, [{ left: 0, right: 300, top: 780, bottom: 840 }])).toBe(0);
  });

  it('rises above the back-to-top button, with the gap', () => {
    const lift = liftFor(LAUNCHER, [BACK_TO_TOP]);

    expect(overlaps(lifted(LAUNCHER, lift), BACK_TO_TOP)).toBe(false);
    expect(lifted(LAUNCHER, lift).bottom).toBeCloseTo(BACK_TO_TOP.top - LIFT_GAP, 0);
  });

  it('rises above a "Next" link passing under it, and above the back-to-top button too', () => {
    const next: Box = { left: 700, right: 1240, top: 700, bottom: 780 };

    const lift = liftFor(LAUNCHER, [BACK_TO_TOP, next]);

    expect(overlaps(lifted(LAUNCHER, lift), next)).toBe(false);
    expect(overlaps(lifted(LAUNCHER, lift), BACK_TO_TOP)).toBe(false);
  });
});

describe('pageModalOpen', () => {
  it('is true while DocSearch marks the body, false after', () => {
    document.body.classList.add('DocSearch--active');
    expect(pageModalOpen(document, null)).toBe(true);
    document.body.classList.remove('DocSearch--active');
    expect(pageModalOpen(document, null)).toBe(false);
  });

  it('the widget’s own dialog does not count', () => {
    const widget = document.createElement('div');
    const own = document.createElement('section');
    own.setAttribute('aria-modal', 'true');
    widget.appendChild(own);
    document.body.appendChild(widget);

    expect(pageModalOpen(document, widget)).toBe(false);
  });
});
