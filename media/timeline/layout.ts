// Builds the panel's elements (the HTML page holds only a root): a toolbar, the lane labels beside
// the canvas, the selection summary, the serial console and the tooltip. Built with the DOM, not
// markup strings, so no text from the log is ever parsed as HTML.

export interface Layout {
  root: HTMLElement;
  title: HTMLElement;
  zoomIn: HTMLButtonElement;
  zoomOut: HTMLButtonElement;
  fit: HTMLButtonElement;
  toPosition: HTMLButtonElement;
  range: HTMLElement;
  status: HTMLElement;
  scroller: HTMLElement;
  labels: HTMLElement;
  plot: HTMLElement;
  canvas: HTMLCanvasElement;
  selection: HTMLElement;
  consoleHeader: HTMLElement;
  consoleText: HTMLElement;
  tooltip: HTMLElement;
  help: HTMLElement;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A toolbar button showing a codicon (VS Code's icon font, loaded by the page). */
function button(className: string, codicon: string, label: string): HTMLButtonElement {
  const b = el('button', `tool ${className}`, { type: 'button', 'aria-label': label, title: label });
  b.append(el('span', `codicon codicon-${codicon}`, { 'aria-hidden': 'true' }));
  return b;
}

export function buildLayout(host: HTMLElement): Layout {
  const root = el('div', 'timeline-app');
  const toolbar = el('div', 'toolbar', { role: 'toolbar', 'aria-label': 'Timeline tools' });
  const title = el('span', 'title', {}, 'Timeline');
  const zoomOut = button('zoom-out', 'zoom-out', 'Zoom out (-)');
  const zoomIn = button('zoom-in', 'zoom-in', 'Zoom in (+)');
  const fit = button('fit', 'screen-full', 'Show the whole recording (Home)');
  const toPosition = button('to-position', 'target', 'Show the current position (.)');
  const range = el('span', 'range', { 'aria-live': 'off' });
  const status = el('span', 'status', { role: 'status', 'aria-live': 'polite' });
  toolbar.append(title, zoomOut, zoomIn, fit, toPosition, range, status);

  const scroller = el('div', 'scroller');
  const labels = el('div', 'labels', { role: 'listbox', 'aria-label': 'Lanes', 'aria-describedby': 'timeline-help' });
  const plot = el('div', 'plot');
  const canvas = el('canvas', 'plot-canvas', { role: 'img' });
  plot.append(canvas);
  scroller.append(labels, plot);

  const selection = el('div', 'selection-summary', { role: 'status', 'aria-live': 'polite' });
  selection.hidden = true;
  const consolePane = el('section', 'console', { 'aria-label': 'Serial console' });
  const consoleHeader = el('div', 'console-header', {}, 'Serial console');
  const consoleText = el('pre', 'console-text', { tabindex: '0', 'aria-label': 'Serial output up to the cursor' });
  consolePane.append(consoleHeader, consoleText);
  const tooltip = el('div', 'tooltip', { role: 'tooltip' });
  const help = el('p', 'help', { id: 'timeline-help' },
    'Arrow up and down choose a lane. N or ] goes to its next event, P or [ to its previous one. ' +
    'Plus and minus zoom, arrow left and right pan, Home shows everything, Enter travels to the cursor, Escape clears the selection.');

  root.append(toolbar, scroller, selection, consolePane, tooltip, help);
  host.replaceChildren(root);
  return { root, title, zoomIn, zoomOut, fit, toPosition, range, status, scroller, labels, plot, canvas, selection, consoleHeader, consoleText, tooltip, help };
}
