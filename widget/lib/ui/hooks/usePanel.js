/**
 * Whether the panel is open (kept in sessionStorage, like the conversation), and where the
 * focus goes: into the question on open, back to the launcher on close.
 */
import { useEffect, useRef, useState } from 'react';
import { sessionStore } from '../storage';
export function usePanel(storageKey, inputRef, launcherRef) {
    const [open, setOpen] = useState(() => sessionStore()?.getItem(`${storageKey}:open`) === '1');
    const wasOpen = useRef(open);
    useEffect(() => {
        try {
            sessionStore()?.setItem(`${storageKey}:open`, open ? '1' : '0');
        }
        catch {
            // storage disabled
        }
    }, [open, storageKey]);
    useEffect(() => {
        if (open && !wasOpen.current)
            inputRef.current?.focus();
        if (!open && wasOpen.current)
            launcherRef.current?.focus();
        wasOpen.current = open;
    }, [open, inputRef, launcherRef]);
    useEffect(() => {
        if (open)
            inputRef.current?.focus({ preventScroll: true });
        // focus once on mount when the panel was left open
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, []);
    return [open, setOpen];
}
