// The bilan's results on the projector (templates/facilitator/prompt_screen.html): per rating its
// average as a bar and its 1–5 histogram, the takeaways with their authors, the anonymous comments.

import { ratingShare } from './cloud-layout.js';
import { plural } from './plural.js';
import { $, h } from './ui.js';


export function createBilanResults({ t, locale }) {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });

  function rating(item) {
    const li = h('li', 'bilan-rating');
    const head = h('div', 'bilan-rating__head');
    const average = item.average == null ? t.no_average : t.average.replace('{average}', number.format(item.average));
    head.append(h('span', 'bilan-rating__label', item.label), h('span', 'bilan-rating__average', average));
    const bar = h('div', 'bilan-rating__bar');
    bar.setAttribute('aria-hidden', 'true');
    const fill = h('span', 'bilan-rating__fill');
    fill.style.setProperty('--share', `${ratingShare(item.average)}%`);
    bar.append(fill);
    const histogram = h('ol', 'bilan-histogram');
    const top = Math.max(1, ...item.histogram);
    item.histogram.forEach((count, index) => {
      const column = h('li', 'bilan-histogram__column');
      column.setAttribute('aria-label', plural(t, 'histogram', count, undefined, { value: index + 1 }));
      const stick = h('span', 'bilan-histogram__bar');
      stick.style.setProperty('--share', `${Math.round((count / top) * 100)}%`);
      column.append(h('span', 'bilan-histogram__count', String(count)), stick, h('span', 'bilan-histogram__value', String(index + 1)));
      histogram.append(column);
    });
    li.append(head, bar, h('p', 'bilan-rating__count', plural(t, 'rated', item.count)), histogram);
    return li;
  }

  function list(el, items, empty, make) {
    if (!items.length) {
      el.replaceChildren(h('li', 'bilan-list__empty', empty));
      return;
    }
    el.replaceChildren(...items.map(make));
  }

  function update(results) {
    const ratings = results.ratings || [];
    const ratingsEl = $('bilan-ratings');
    if (ratings.length) ratingsEl.replaceChildren(...ratings.map(rating));
    else ratingsEl.replaceChildren(h('li', 'bilan-list__empty', t.no_ratings));
    list($('bilan-takeaways'), results.takeaways || [], t.no_takeaways, (item) => {
      const li = h('li', 'bilan-list__item');
      li.append(h('p', 'bilan-list__text', item.text), h('p', 'bilan-list__name', item.name));
      return li;
    });
    const openQuestion = results.prompt && results.prompt.open_question;
    $('comments-section').hidden = !openQuestion && !(results.comments || []).length;
    $('comments-title').textContent = openQuestion || t.comments;
    list($('bilan-comments'), results.comments || [], t.no_comments, (text) => h('li', 'bilan-list__item bilan-list__text', text));
  }

  return { update };
}
