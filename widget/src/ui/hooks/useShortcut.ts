/** The keyboard: Ctrl+Shift+K (Cmd+Shift+K on a Mac) toggles the panel, Esc closes it. */
import { useEffect, type Dispatch, type RefObject, type SetStateAction } from 'react';

export const SHORTCUT_LABEL = 'Ctrl+Shift+K';
/** The same shortcut in `aria-keyshortcuts` syntax. */
export const SHORTCUT_KEYS = 'Control+Shift+K Meta+Shift+K';

/**
 * Listens on the document. Esc closes the open panel only when the focus is inside the
 * widget (`rootRef`): Esc in the site's search box, or anywhere else on the page, is the
 * page's (it closes the search modal, not the chat), and so is a key something else
 * already handled.
 */
export function useShortcut(
  open: boolean,
  setOpen: Dispatch<SetStateAction<boolean>>,
  rootRef: RefObject<HTMLElement | null>,
): void {
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
        if (active && rootRef.current?.contains(active)) {
          event.preventDefault();
          setOpen(false);
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, setOpen, rootRef]);
}
