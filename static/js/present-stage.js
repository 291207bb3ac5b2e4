// The slide area of the presentation pages (templates/present/_stage.html): shows one slide of a
// deck, keeps the counter and the screen-reader announcement, refits on resize; plus the full-screen
// button and the facilitators' audience-link dialog, shared by every presentation page.

import { fill, step } from './present-keys.js';
import { fitSlide, renderSlide, slideTitle } from './present-slides.js';
import { $ } from './ui.js';

export function createStage({ t, thumbUrl }) {
  const el = {
    stage: $('stage'),
    slide: $('stage-slide'),
    message: $('stage-message'),
    announcer: $('stage-announcer'),
    counter: $('slide-counter'),
  };
  let deck = null;
  let index = 0;
  let shownKey = '';

  function render() {
    const slides = (deck && deck.slides) || [];
    if (!slides.length) return;
    index = step(index, slides.length, 'stay');
    const slide = slides[index];
    const node = renderSlide(slide, deck, { t, thumbUrl, titleId: 'slide-title' });
    node.dataset.index = String(index);
    node.setAttribute('aria-labelledby', 'slide-title');
    el.slide.replaceChildren(node);
    el.slide.hidden = false;
    el.message.hidden = true;
    el.stage.dataset.kind = slide.kind;
    const label = fill(t.slide_of, { n: index + 1, total: slides.length });
    el.counter.textContent = `${index + 1} / ${slides.length}`;
    el.counter.setAttribute('aria-label', label);
    const key = `${deck.group && deck.group.id}:${index}`;
    if (key !== shownKey) el.announcer.textContent = fill(t.slide_announce, { slide: label, title: slideTitle(slide, t) });
    shownKey = key;
    fitSlide(node);
  }

  let resizeFrame = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(() => {
      const node = el.slide.firstElementChild;
      if (node && !el.slide.hidden) fitSlide(node);
    });
  });

  return {
    get index() { return index; },
    get count() { return (deck && deck.slides && deck.slides.length) || 0; },
    get deck() { return deck; },
    /** Shows `newDeck` at slide `at` (kept within its slides). */
    load(newDeck, at = index) {
      deck = newDeck;
      index = at;
      render();
    },
    go(at) {
      const showing = !el.slide.hidden && el.slide.firstElementChild;
      if (at === index && showing) return index; // already there: no flicker
      index = at;
      render();
      return index;
    },
    /** A message instead of a slide (waiting, loading, an error); `keepSlide` leaves the slide shown. */
    message(text, { keepSlide = false } = {}) {
      el.message.textContent = text;
      el.message.hidden = !text;
      if (!keepSlide) {
        el.slide.hidden = true;
        el.slide.replaceChildren();
        el.counter.textContent = '–';
        el.counter.removeAttribute('aria-label');
        delete el.stage.dataset.kind;
        shownKey = '';
      }
    },
    clear() {
      deck = null;
      index = 0;
    },
  };
}

/** The full-screen button and the F key; returns toggle(). */
export function setupFullscreen(t) {
  const button = $('fullscreen-toggle');
  const label = $('fullscreen-label');
  const root = document.documentElement;
  const supported = Boolean(root.requestFullscreen);
  if (button && !supported) button.hidden = true;
  const sync = () => {
    const on = Boolean(document.fullscreenElement);
    document.body.classList.toggle('present-body--fullscreen', on);
    if (button) button.setAttribute('aria-pressed', String(on));
    if (label) label.textContent = on ? t.exit_fullscreen : t.fullscreen;
  };
  const toggle = () => {
    if (!supported) return;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else root.requestFullscreen().catch(() => {});
  };
  document.addEventListener('fullscreenchange', sync);
  if (button) button.addEventListener('click', toggle);
  sync();
  return toggle;
}

/** The facilitators' audience link dialog (templates/present/_audience_link.html). */
export function setupAudienceDialog(t) {
  const open = $('audience-open');
  const dialog = $('audience-dialog');
  if (!open || !dialog) return;
  const url = $('audience-url');
  const copy = $('audience-copy');
  open.addEventListener('click', () => dialog.showModal());
  $('audience-close').addEventListener('click', () => dialog.close());
  url.addEventListener('focus', () => url.select());
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(url.value);
      copy.textContent = t.copied;
    } catch {
      url.focus();
      url.select();
    }
  });
}
