/**
 * Living with the site's own controls (the Docusaurus classic theme and others):
 * - `usePageModal`: whether the page shows a modal of its own (DocSearch on Ctrl+K / ⌘K,
 *   or any `aria-modal` dialog): the widget then steps behind it.
 * - `useLauncherLift`: how far the launcher rises so that it covers none of the page's
 *   bottom-corner controls: the theme's back-to-top button (its place is kept free even
 *   while the button is hidden, so the launcher does not jump when it appears), the docs
 *   pagination links ("Previous" / "Next") while they pass under it, and anything marked
 *   `data-bookchat-avoid`.
 */
import { useEffect, useState } from 'react';
/** A modal of the page's own, open: DocSearch marks <body>; other dialogs say aria-modal. */
export function pageModalOpen(doc, widget) {
    if (doc.body?.classList.contains('DocSearch--active'))
        return true;
    for (const dialog of Array.from(doc.querySelectorAll('[aria-modal="true"], .DocSearch-Modal'))) {
        if (widget?.contains(dialog))
            continue;
        if (dialog.hidden)
            continue;
        const rect = dialog.getBoundingClientRect();
        if (rect.width > 0 && rect.height > 0)
            return true;
    }
    return false;
}
export function usePageModal(rootRef) {
    const [behind, setBehind] = useState(false);
    useEffect(() => {
        let frame = 0;
        const check = () => {
            frame = 0;
            setBehind(pageModalOpen(document, rootRef.current));
        };
        const schedule = () => {
            if (!frame)
                frame = window.requestAnimationFrame(check);
        };
        const observer = new MutationObserver(schedule);
        observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'aria-modal', 'hidden'] });
        check();
        return () => {
            observer.disconnect();
            if (frame)
                window.cancelAnimationFrame(frame);
        };
    }, [rootRef]);
    return behind;
}
/** The room kept between the launcher and a control it avoids, in px. */
export const LIFT_GAP = 12;
function px(value) {
    const n = Number.parseFloat(value);
    return Number.isFinite(n) ? n : 0;
}
/**
 * Where the back-to-top button sits when shown. Its box is taken from its fixed position
 * and size, not from getBoundingClientRect: while hidden the theme scales it to nothing.
 */
function fixedSlot(element, viewWidth, viewHeight) {
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.position !== 'fixed')
        return undefined;
    const width = px(style.width);
    const height = px(style.height);
    if (!width || !height)
        return undefined;
    const right = viewWidth - px(style.right);
    const bottom = viewHeight - px(style.bottom);
    return { left: right - width, right, top: bottom - height, bottom };
}
/** The page's controls the launcher must not cover, in viewport coordinates. */
export function obstacles(doc) {
    const viewWidth = doc.documentElement.clientWidth;
    const viewHeight = doc.documentElement.clientHeight;
    const boxes = [];
    for (const button of Array.from(doc.querySelectorAll('.theme-back-to-top-button'))) {
        const slot = fixedSlot(button, viewWidth, viewHeight);
        if (slot)
            boxes.push(slot);
    }
    for (const element of Array.from(doc.querySelectorAll('.pagination-nav__link, [data-bookchat-avoid]'))) {
        const r = element.getBoundingClientRect();
        if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < viewHeight) {
            boxes.push({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
        }
    }
    return boxes;
}
/**
 * How far (px) a launcher whose unlifted box is `launcher` must rise to clear every
 * obstacle by `gap`: each one it would overlap pushes it above that one's top.
 */
export function liftFor(launcher, boxes, gap = LIFT_GAP) {
    let lift = 0;
    for (let round = 0; round <= boxes.length; round += 1) {
        let moved = false;
        for (const box of boxes) {
            const top = launcher.top - lift;
            const bottom = launcher.bottom - lift;
            const across = box.left < launcher.right + gap && box.right > launcher.left - gap;
            const along = box.top < bottom + gap && box.bottom > top - gap;
            if (across && along) {
                lift = Math.max(lift, launcher.bottom - box.top + gap);
                moved = true;
            }
        }
        if (!moved)
            break;
    }
    return Math.round(lift);
}
/** The launcher's lift (px), measured again on scroll, resize and navigation while it is shown. */
export function useLauncherLift(launcherRef, active, pathname) {
    const [lift, setLift] = useState(0);
    useEffect(() => {
        if (!active)
            return undefined;
        let frame = 0;
        let current = lift;
        const measure = () => {
            frame = 0;
            const launcher = launcherRef.current;
            if (!launcher)
                return;
            const r = launcher.getBoundingClientRect();
            // The launcher's box without the lift it has now.
            const base = { left: r.left, right: r.right, top: r.top + current, bottom: r.bottom + current };
            const next = liftFor(base, obstacles(document));
            if (next !== current) {
                current = next;
                setLift(next);
            }
        };
        const schedule = () => {
            if (!frame)
                frame = window.requestAnimationFrame(measure);
        };
        measure();
        // The theme renders its controls after a navigation; measure again once they are in.
        const later = window.setTimeout(schedule, 250);
        window.addEventListener('scroll', schedule, { passive: true });
        window.addEventListener('resize', schedule);
        return () => {
            window.removeEventListener('scroll', schedule);
            window.removeEventListener('resize', schedule);
            window.clearTimeout(later);
            if (frame)
                window.cancelAnimationFrame(frame);
        };
        // `lift` is read once per effect run through `current`.
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [active, pathname, launcherRef]);
    return lift;
}
