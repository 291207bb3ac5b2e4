// The app's icons, one home for their drawings: stroked 24×24 paths. Drawn as inline SVG by
// drawIcon() (ui.js's icon(), boardIcon()), hidden from assistive technology (the buttons carry the
// words), or, for what every card repeats (its buttons, its visit and person met, its reactions), as
// CSS masks: installIconMasks() sets the `--icon-<name>` custom properties that app.css and
// board-analysis.css draw with (2,000 cards clone a third fewer nodes; docs/performance.md). No icon
// is an emoji or a font glyph: a projector laptop may have no emoji font.

const SVG_NS = 'http://www.w3.org/2000/svg';

export const ICON_PATHS = Object.freeze({
  edit: ['M4 20h4L19 9l-4-4L4 16v4z', 'M13.5 6.5l4 4'],
  delete: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'],
  camera: ['M4 8h3l2-3h6l2 3h3v11H4z', 'M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  back: ['M15 5l-7 7 7 7'],
  pin: ['M12 21s-6-5.5-6-11a6 6 0 0 1 12 0c0 5.5-6 11-6 11z', 'M12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z'],
  person: ['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M4 21c0-4 3.6-6 8-6s8 2 8 6'],
  clock: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 7v5l3 2'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  alert: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.01'],
  retry: ['M20 12a8 8 0 1 1-2.3-5.6', 'M20 4v5h-5'],
  move: ['M12 3v18', 'M3 12h18', 'M9 6l3-3 3 3', 'M9 18l3 3 3-3', 'M6 9l-3 3 3 3', 'M18 9l3 3-3 3'],
  more: ['M5 12h.01', 'M12 12h.01', 'M19 12h.01'],
  plus: ['M12 5v14', 'M5 12h14'],
  up: ['M6 15l6-6 6 6'],
  down: ['M6 9l6 6 6-6'],
  left: ['M15 6l-6 6 6 6'],
  right: ['M9 6l6 6-6 6'],
  rename: ['M4 20h4L19 9l-4-4L4 16v4z'],
  tag: ['M3 12V4h8l10 10-8 8z', 'M7.5 8.5h.01'],
  comment: ['M4 5h16v11H9l-5 4z'],
  // The reactions' (which reaction takes which: board-analysis.css, `[data-reaction]`).
  'thumb-up': ['M7 11v9H4v-9z', 'M7 11l4-7.5c1.3 0 2.2 1.1 2 2.4L12.5 10H19a2 2 0 0 1 2 2.3l-1.2 6A2 2 0 0 1 17.8 20H7'],
  heart: ['M12 20s-8-4.7-8-10.4A4.4 4.4 0 0 1 12 7a4.4 4.4 0 0 1 8 2.6C20 15.3 12 20 12 20z'],
  bulb: ['M9.5 17.5h5', 'M10.5 21h3', 'M12 3a6 6 0 0 0-3.6 10.8c.7.6 1.1 1.4 1.1 2.2v1.5h5V16c0-.8.4-1.6 1.1-2.2A6 6 0 0 0 12 3z'],
  question: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M9.5 9.5a2.5 2.5 0 1 1 3.4 2.3c-.6.3-.9.9-.9 1.5v.7', 'M12 17v.01'],
});

// Drawn by CSS (`--icon-<name>`): the cards' own icons, the reactions, the zones row's "more →".
const MASKED = ['edit', 'delete', 'move', 'pin', 'person', 'thumb-up', 'heart', 'bulb', 'question', 'alert', 'right'];

export function drawIcon(name, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICON_PATHS[name] || []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

export const boardIcon = drawIcon;

/** The CSS `url(…)` of an icon's drawing, black strokes, for a mask. */
export function iconMask(name) {
  const svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' stroke-width='1.8'"
    + ` stroke-linecap='round' stroke-linejoin='round'><path d='${(ICON_PATHS[name] || []).join(' ')}'/></svg>`;
  return `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
}

/** Sets `--icon-<name>` on `root` for every masked icon (a custom property: allowed by the CSP). */
export function installIconMasks(root) {
  for (const name of MASKED) root.style.setProperty(`--icon-${name}`, iconMask(name));
}

if (typeof document !== 'undefined' && document.documentElement) installIconMasks(document.documentElement);
