/** The tab's sessionStorage, or undefined where the browser refuses it (privacy modes). */
export function sessionStore() {
    try {
        return window.sessionStorage;
    }
    catch {
        return undefined;
    }
}
