/** The keyboard: Ctrl+Shift+K (Cmd+Shift+K on a Mac) toggles the panel, Esc closes it. */
import { useEffect, useRef, type Dispatch, type RefObject, type SetStateAction } from 'react';

export const SHORTCUT_LABEL = 'Ctrl+Shift+K';
/** The same shortcut in `aria-keyshortcuts` syntax. */
export const SHORTCUT_KEYS = 'Control+Shift+K Meta+Shift+K';

/**
 * Listens on the document. Esc closes the open panel only when the focus is inside the
 * widget (`rootRef`): Esc in the site's search box, or anywhere else on the page, is the
 * page's (it closes the search modal, not the chat), and so is a key something else
 * already handled. When the focused control of the panel goes away (a thumb disabled once
 * pressed), the focus falls to <body> but the reader is still in the panel: that counts
 * as inside until they focus or press something else.
 */
export function useShortcut(
  open: boolean,
  setOpen: Dispatch<SetStateAction<boolean>>,
  rootRef: RefObject<HTMLElement | null>,
): void {
  const lastInside = useRef(false);
  useEffect(() => {
    const track = (event: Event): void => {
      lastInside.current = event.target instanceof Node && !!rootRef.current?.contains(event.target);
    };
    document.addEventListener('focusin', track);
    document.addEventListener('pointerdown', track, true);
    return () => {
      document.removeEventListener('focusin', track);
      document.removeEventListener('pointerdown', track, true);
    };
  }, [rootRef]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        // The classic theme's DocSearch opens on any Ctrl/⌘+K, Shift or not: keep it ours.
        event.stopPropagation();
        setOpen((value) => !value);
        return;
      }
      if (event.key === 'Escape' && open && !event.defaultPrevented) {
        const active = document.activeElement;
        const inside = active && active !== document.body ? !!rootRef.current?.contains(active) : lastInside.current;
        if (inside) {
          event.preventDefault();
          setOpen(false);
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, setOpen, rootRef]);
}
