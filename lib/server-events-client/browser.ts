/** Browser-only helpers; each one is a no-op under Node (no `document` / `window`). */
import { cssValueProblem, toCssText } from "./css-policy";

function hasDocument(): boolean {
  return typeof document !== "undefined" && typeof document.querySelectorAll === "function";
}

/** The first element matching `cssSelector`; `undefined` when none does, and under Node. */
export function findElement(cssSelector: string | undefined): Element | undefined {
  if (!hasDocument() || !cssSelector) return undefined;
  try {
    return document.querySelector(cssSelector) ?? undefined;
  } catch {
    // An invalid selector from the server must not break dispatch.
    return undefined;
  }
}

/** `document.body`, `this` for handlers when no `$selector` matched; `undefined` under Node. */
export function documentBody(): HTMLElement | undefined {
  return hasDocument() ? (document.body ?? undefined) : undefined;
}

/** The page's URL, or `undefined` outside a browser. */
export function pageHref(): string | undefined {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  return typeof href === "string" ? href : undefined;
}

/** `background-image` stays; `backgroundImage` becomes `background-image`, for `setProperty`. */
function toCssProperty(name: string): string {
  return name.includes("-") ? name : name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * `css.{property}${selector} value`: sets the style on every element matched by `selector`.
 * A value that {@link cssValueProblem} refuses (one that would load a URL from another origin) is
 * not applied; the dispatcher has already reported it, this is the last line of defence.
 * @see https://docs.servicestack.net/server-events#css-selectors
 */
export function applyCss(selector: string, property: string, value: unknown): void {
  if (!hasDocument()) return;
  const text = toCssText(value);
  if (cssValueProblem(text, pageHref()) !== undefined) return;
  let elements: NodeListOf<Element>;
  try {
    elements = document.querySelectorAll(selector);
  } catch {
    return;
  }
  for (const el of Array.from(elements)) {
    // Duck-typed (not instanceof HTMLElement) so elements of other realms, e.g. iframes, work.
    const style = (el as Partial<ElementCSSInlineStyle>).style;
    if (typeof style?.setProperty === "function") style.setProperty(toCssProperty(property), text);
  }
}

/**
 * Listens to `pagehide` (fired on unload and when the page enters the back/forward cache; unlike
 * `unload`, which browsers are retiring) and to `pageshow` with `persisted` (the page came back
 * from that cache). Returns the function that removes both listeners; a no-op under Node.
 */
export function watchPageLifecycle(onHide: () => void, onRestore: () => void): () => void {
  if (typeof window === "undefined" || typeof window.addEventListener !== "function") {
    return () => {};
  }
  const onShow = (event: PageTransitionEvent): void => {
    if (event.persisted) onRestore();
  };
  window.addEventListener("pagehide", onHide);
  window.addEventListener("pageshow", onShow);
  return () => {
    window.removeEventListener("pagehide", onHide);
    window.removeEventListener("pageshow", onShow);
  };
}

/** `navigator.sendBeacon(url)` when available; `false` when the caller must fall back. */
export function sendBeacon(url: string): boolean {
  if (typeof navigator === "undefined" || typeof navigator.sendBeacon !== "function") return false;
  try {
    return navigator.sendBeacon(url);
  } catch {
    return false;
  }
}
