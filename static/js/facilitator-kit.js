// Join kit: full screen for the projector; the A4 sheet's print button.

import { $ } from './ui.js';
import { t } from './facilitator-api.js';

const fullscreen = $('kit-fullscreen');
const kit = $('kit');
if (fullscreen && kit) {
  const label = () => {
    fullscreen.textContent = document.fullscreenElement ? t.exit_fullscreen : t.fullscreen;
  };
  fullscreen.addEventListener('click', async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await kit.requestFullscreen();
    } catch {
      // Refused (iframe, old browser): the page still reads well as it is.
    }
  });
  document.addEventListener('fullscreenchange', label);
  if (!document.fullscreenEnabled) fullscreen.hidden = true;
}

const print = $('sheet-print');
if (print) print.addEventListener('click', () => window.print());
