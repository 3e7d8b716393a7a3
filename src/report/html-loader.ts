// The HTML renderers pull in Vega, a third of a second to import: they are loaded only when a
// command asks for them (loadRenderers), so every other run starts as fast as before.
type HtmlRenderers = typeof import('./html/index.js');

let html: HtmlRenderers | undefined;

export async function loadHtml(): Promise<void> {
  html ??= await import('./html/index.js');
}

/** The loaded HTML renderers; an error (a bug) when loadRenderers was not awaited first. */
export function htmlRenderers(): HtmlRenderers {
  if (!html) throw new Error("the HTML renderer is not loaded: await loadRenderers(['html']) first");
  return html;
}
