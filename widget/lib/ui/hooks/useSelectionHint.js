/**
 * "Ask about this": where to show the button for a text selection made on the page (touch
 * too), and the selected text (at most MAX_SELECTED characters). Selections inside the
 * widget itself (`rootRef`) are ignored.
 */
import { useCallback, useEffect, useState } from 'react';
import { MAX_SELECTED } from '../../core/limits';
/** How long the selection must hold still before the button follows it, ms. */
const SETTLE_MS = 150;
export function useSelectionHint(rootRef) {
    const [hint, setHint] = useState(null);
    useEffect(() => {
        let timer;
        const check = () => {
            window.clearTimeout(timer);
            timer = window.setTimeout(() => {
                const selection = window.getSelection();
                const text = selection?.toString().trim() ?? '';
                if (!selection || selection.rangeCount === 0 || text.length < 2) {
                    setHint(null);
                    return;
                }
                const node = selection.anchorNode;
                if (node && rootRef.current?.contains(node)) {
                    setHint(null);
                    return;
                }
                const rect = selection.getRangeAt(0).getBoundingClientRect();
                if (rect.width === 0 && rect.height === 0) {
                    setHint(null);
                    return;
                }
                const below = rect.bottom + 8;
                const top = below + 40 > window.innerHeight ? Math.max(8, rect.top - 44) : below;
                const left = Math.min(Math.max(8, rect.left + rect.width / 2 - 70), window.innerWidth - 150);
                setHint({ text: text.slice(0, MAX_SELECTED), top, left });
            }, SETTLE_MS);
        };
        document.addEventListener('selectionchange', check);
        document.addEventListener('pointerup', check);
        return () => {
            window.clearTimeout(timer);
            document.removeEventListener('selectionchange', check);
            document.removeEventListener('pointerup', check);
        };
    }, [rootRef]);
    const dismiss = useCallback(() => setHint(null), []);
    return [hint, dismiss];
}
