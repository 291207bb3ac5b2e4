// The full photo of a card in a modal <dialog>: focus moves into it, Escape, the close button or a
// tap beside the photo close it, and focus goes back to the thumbnail that opened it.

import { h, icon } from './ui.js';

export function createPhotoViewer(t) {
  const dialog = h('dialog', 'photo-viewer');
  dialog.setAttribute('aria-labelledby', 'photo-viewer-caption');
  const frame = h('div', 'photo-viewer__frame');
  const close = h('button', 'button photo-viewer__close');
  close.type = 'button';
  close.append(icon('close'), h('span', 'visually-hidden', t.close_photo));
  close.title = t.close_photo;
  const figure = h('figure', 'photo-viewer__figure');
  const image = h('img', 'photo-viewer__image');
  image.decoding = 'async';
  const status = h('p', 'photo-viewer__status');
  status.setAttribute('role', 'status');
  const caption = h('figcaption', 'photo-viewer__caption');
  caption.id = 'photo-viewer-caption';
  figure.append(image, status, caption);
  frame.append(close, figure);
  dialog.append(frame);
  document.body.append(dialog);

  let opener = null;
  image.addEventListener('load', () => {
    status.hidden = true;
    image.hidden = false;
  });
  image.addEventListener('error', () => {
    image.hidden = true;
    status.hidden = false;
    status.textContent = t.photo_unavailable;
  });
  close.addEventListener('click', () => dialog.close());
  // A tap on the backdrop (outside the frame) closes too.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    image.removeAttribute('src');
    document.documentElement.classList.remove('has-modal');
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });

  return {
    element: dialog,
    /** src: the full image; label: what it shows (the note's text, shortened). */
    open(src, { label, author, trigger }) {
      opener = trigger || document.activeElement;
      status.hidden = false;
      status.textContent = t.photo_loading;
      image.hidden = true;
      image.alt = label || '';
      caption.textContent = author ? `${author} — ${label}` : label;
      image.src = src;
      document.documentElement.classList.add('has-modal');
      dialog.showModal();
      close.focus();
    },
  };
}

export function shorten(text, max = 140) {
  const clean = String(text || '').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
