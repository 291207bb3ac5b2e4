// Icons of the zones board (same markup as ui.js's icon(): stroked 24×24 paths, hidden from
// assistive technology; the buttons carry the words).

import { icon } from './ui.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const PATHS = {
  // (move is also in app.css, `--icon-move`, the mask of the cards' Move button)
  move: ['M12 3v18', 'M3 12h18', 'M9 6l3-3 3 3', 'M9 18l3 3 3-3', 'M6 9l-3 3 3 3', 'M18 9l3 3-3 3'],
  more: ['M5 12h.01', 'M12 12h.01', 'M19 12h.01'],
  plus: ['M12 5v14', 'M5 12h14'],
  up: ['M6 15l6-6 6 6'],
  down: ['M6 9l6 6 6-6'],
  left: ['M15 6l-6 6 6 6'],
  right: ['M9 6l6 6-6 6'],
  rename: ['M4 20h4L19 9l-4-4L4 16v4z'],
  tag: ['M3 12V4h8l10 10-8 8z', 'M7.5 8.5h.01'],
};

export function boardIcon(name, className = 'icon') {
  if (!PATHS[name]) return icon(name, className);
  const svg = icon('', className);
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
