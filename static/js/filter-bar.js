// The board's filter bar (templates/board/_filters.html): search box, lists, view switcher, count,
// clear and copy-link buttons; on a phone the lists fold behind a "Filters" button with the number of
// active filters. It only shows the filter and reports changes: board-views.js owns the filter.

import { plural } from './card-groups.js';
import { FILTER_KEYS, activeCount, casefold } from './filters.js';
import { $, h } from './ui.js';

const SELECTS = FILTER_KEYS.filter((key) => key !== 'q');

export class FilterBar {
  /** t: strings; onChange(patch): a part of the filter changed; onClear(); onCopy(). */
  constructor({ t, locale, onChange, onClear, onCopy }) {
    this.t = t;
    this.locale = locale;
    this.root = $('filters');
    this.el = {
      q: $('filter-q'), toggle: $('filters-toggle'), badge: $('filters-badge'), panel: $('filters-panel'),
      clear: $('filters-clear'), copy: $('filters-copy'), count: $('filters-count'), status: $('filters-status'), hidden: $('filters-hidden'),
      hiddenText: $('filters-hidden-text'), showAll: $('filters-show-all'), empty: $('filters-empty'),
      emptyClear: $('filters-empty-clear'), views: [...this.root.querySelectorAll('input[name="view"]')],
    };
    this.selects = Object.fromEntries(SELECTS.map((key) => [key, { select: $(`filter-${key}`), field: $(`filter-${key}-field`), sig: '' }]));
    this.toggleLabel = this.el.toggle.textContent.trim();
    this.countText = '';

    this.el.q.addEventListener('input', () => onChange({ q: this.el.q.value }));
    for (const [key, { select }] of Object.entries(this.selects)) {
      select.addEventListener('change', () => onChange({ [key]: select.value }));
    }
    for (const radio of this.el.views) radio.addEventListener('change', () => radio.checked && onChange({ view: radio.value }));
    for (const button of [this.el.clear, this.el.showAll, this.el.emptyClear]) {
      button.addEventListener('click', () => {
        this.el.q.value = '';
        onClear();
        if (this.el.q.offsetParent) this.el.q.focus();
        else this.el.toggle.focus();
      });
    }
    this.el.copy.addEventListener('click', () => onCopy());
    this.el.toggle.addEventListener('click', () => this.open(!this.root.classList.contains('filters--open')));
    // "/" jumps to the search box (not while typing somewhere).
    document.addEventListener('keydown', (event) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target;
      if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      this.open(true);
      this.el.q.focus();
    });
  }

  /** Unfolds (or folds) the lists on a phone. */
  open(yes) {
    this.root.classList.toggle('filters--open', yes);
    this.el.toggle.setAttribute('aria-expanded', yes ? 'true' : 'false');
  }

  /** Shows `filter` in the controls; `view` the view shown. */
  show(filter, view) {
    if (this.el.q.value !== filter.q && document.activeElement !== this.el.q) this.el.q.value = filter.q;
    for (const [key, { select }] of Object.entries(this.selects)) {
      const value = key === 'tag' ? casefold(filter.tag) : filter[key];
      if (select.value !== value) select.value = value;
      select.classList.toggle('filters__select--set', Boolean(value));
    }
    for (const radio of this.el.views) radio.checked = radio.value === view;
    this.root.dataset.view = view;
    const n = activeCount(filter);
    this.el.badge.hidden = n === 0;
    this.el.badge.textContent = String(n);
    this.el.toggle.setAttribute('aria-label', n ? `${this.toggleLabel} – ${plural(this.t, 'filters_active', n, this.locale)}` : this.toggleLabel);
    this.el.clear.disabled = n === 0;
    this.root.classList.toggle('filters--active', n > 0);
  }

  /** The choices of each list: {key: [{value, label, count}]}; `themes` hides the theme list when false. */
  options(options, { themes = false, filter } = {}) {
    for (const [key, entry] of Object.entries(this.selects)) {
      const list = options[key] || [];
      if (key === 'theme') entry.field.hidden = !themes && !filter.theme;
      const sig = list.map((o) => `${o.value}\u0001${o.label}\u0001${o.count}`).join('\u0002');
      if (sig === entry.sig) continue;
      entry.sig = sig;
      const { select } = entry;
      // The filter's choice (from the address) may name an option that did not exist until now.
      const wanted = filter ? (key === 'tag' ? casefold(filter[key] || '') : filter[key]) : undefined;
      const value = wanted || select.value;
      const first = select.options[0];
      select.replaceChildren(first, ...list.map((o) => {
        const option = h('option', null, o.count ? `${o.label} (${o.count})` : o.label);
        option.value = o.value;
        return option;
      }));
      select.value = value;
      if (select.value !== value) select.value = '';
    }
  }

  /** The count line, the "hidden by the filter" note and the empty state; `announce`: read the count out. */
  status({ ready, total, matching, hidden, filtered, editing, announce = true }) {
    const { t, locale } = this;
    let text = '';
    if (ready && total) {
      if (!filtered) text = plural(t, 'total', total, locale);
      else if (!matching) text = t.match_none;
      else text = plural(t, 'match', matching, locale, { total });
    }
    if (text !== this.countText) {
      this.countText = text;
      this.el.count.setAttribute('aria-live', announce ? 'polite' : 'off');
      this.el.count.textContent = text;
    }
    this.el.hidden.hidden = !(ready && filtered && hidden > 0 && matching > 0);
    this.el.hiddenText.textContent = hidden ? plural(t, 'hidden', hidden, locale) : '';
    this.el.empty.hidden = !(ready && filtered && total > 0 && matching === 0 && !editing);
    this.el.status.hidden = !text && this.el.hidden.hidden;
  }
}
