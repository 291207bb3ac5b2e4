// The facilitators' question on the participants' pages (board, capture; templates/prompts/_answer.html):
// while the workshop's live state holds an open prompt (docs/protocol.md, "Prompts"), a card asks it.
// `words`: one to three words for the projected cloud, sent again to change them. `bilan`: a personal
// takeaway (named, can be changed) and an anonymous evaluation (1–5 per label and a comment, sent once).
// The card folds to one small button, so it never stands in the way of note-taking.

import { $, h, readJson } from './ui.js';

const FOLDED_KEY = 'collab:prompt-folded';
const MAX_WORD = 40;

/** Starts the card. `connection` is a Connection (connection.js), `api` an Api (api.js). */
export function startPromptAnswer(connection, { api }) {
  const card = $('prompt-card');
  if (!card) return;
  const t = readJson('i18n-prompts');
  const el = { question: $('prompt-question'), body: $('prompt-body'), fold: $('prompt-fold'), unfold: $('prompt-unfold') };
  const unfoldLabel = $('prompt-unfold-label');
  let seq = -1;
  let prompt = null;
  let mine = null; // {words, takeaway, evaluated} as the server last said
  let editing = { words: true, takeaway: true };
  let folded = false;

  const url = (id, tail) => `/api/v1/prompts/${encodeURIComponent(id)}/${tail}`;
  const answered = () => Boolean(mine && (mine.words.length || mine.takeaway || mine.evaluated));

  function apply(message) {
    if (!message || typeof message.seq !== 'number' || message.seq <= seq || !message.state) return;
    seq = message.seq;
    const next = message.state.prompt && message.state.prompt.status !== 'closed' ? message.state.prompt : null;
    if (!next) {
      prompt = null;
      card.hidden = true;
      el.unfold.hidden = true;
      return;
    }
    if (prompt && prompt.id === next.id) return;
    prompt = next;
    mine = { words: [], takeaway: '', evaluated: false };
    editing = { words: true, takeaway: true };
    folded = sessionStorage.getItem(FOLDED_KEY) === prompt.id;
    el.question.textContent = prompt.question;
    render();
    const sr = $('live-announcer');
    if (sr && !folded) sr.textContent = String(t.answer_announce || '').replace('{question}', prompt.question);
    loadMine(prompt.id);
  }

  async function loadMine(id) {
    const response = await api.getJson(url(id, 'mine')).catch(() => null);
    if (!response || !response.ok || !response.body || !prompt || prompt.id !== id) return;
    const body = response.body;
    mine = { words: body.words || [], takeaway: body.takeaway || '', evaluated: Boolean(body.evaluated) };
    // What was sent before (another tab, a reload) shows as sent, unless the person has started typing.
    if (!card.querySelector('[data-dirty]')) {
      editing = { words: !mine.words.length, takeaway: !mine.takeaway };
      render();
    }
  }

  function setFolded(value) {
    folded = value;
    if (value) sessionStorage.setItem(FOLDED_KEY, prompt.id);
    else sessionStorage.removeItem(FOLDED_KEY);
    showFold();
  }

  function showFold() {
    card.hidden = folded;
    el.unfold.hidden = !folded;
    el.unfold.setAttribute('aria-expanded', String(!folded));
    unfoldLabel.textContent = answered() ? t.answered : t.answer;
  }

  el.fold.addEventListener('click', () => {
    setFolded(true);
    el.unfold.focus();
  });
  el.unfold.addEventListener('click', () => {
    setFolded(false);
    const first = card.querySelector('input, textarea, button.prompt-card__change');
    (first || el.question).focus();
  });

  const builders = { words: () => renderWords(), takeaway: () => renderTakeaway(), evaluation: () => renderEvaluation() };

  /** Builds the card's parts again: all of them, or only `only` (the others keep what is typed). */
  function render(only = null) {
    if (!prompt) return;
    const names = prompt.kind === 'words' ? ['words'] : ['takeaway', 'evaluation'];
    if (only && names.includes(only) && el.body.querySelector(`[data-part="${only}"]`)) {
      const node = builders[only]();
      node.dataset.part = only;
      el.body.querySelector(`[data-part="${only}"]`).replaceWith(node);
    } else {
      el.body.replaceChildren(...names.map((name) => {
        const node = builders[name]();
        node.dataset.part = name;
        return node;
      }));
    }
    el.fold.textContent = answered() ? t.close : t.later;
    showFold();
  }

  // ---- sending ----------------------------------------------------------------------------------

  function errorText(response) {
    if (!response || !response.status) return t.error_network;
    return (response.body && response.body.error && response.body.error.message) || t.error;
  }

  /** Sends `json`; the form shows "Sending…" and then the error or calls `done(mine)`. */
  async function send(part, form, json, done) {
    const button = form.querySelector('button[type=submit]');
    const error = form.querySelector('.prompt-error');
    const label = button.textContent;
    const id = prompt.id;
    button.disabled = true;
    button.textContent = t.sending;
    form.setAttribute('aria-busy', 'true');
    error.textContent = '';
    const response = await api.write('POST', url(id, 'answers'), { json }).catch(() => null);
    form.removeAttribute('aria-busy');
    button.disabled = false;
    button.textContent = label;
    if (!prompt || prompt.id !== id) return;
    if (response && response.ok && response.body && response.body.mine) {
      const m = response.body.mine;
      mine = { words: m.words || [], takeaway: m.takeaway || '', evaluated: Boolean(m.evaluated) };
      done();
      render(part);
      const thanks = el.body.querySelector(`[data-part="${part}"] .prompt-done, [data-part="${part}"].prompt-done`);
      if (thanks) thanks.focus();
      return;
    }
    error.textContent = errorText(response);
  }

  const markDirty = (form) => form.addEventListener('input', () => form.setAttribute('data-dirty', ''), { once: true });

  function doneBlock(part, text, items, onChange) {
    const block = h('div', 'prompt-done');
    block.tabIndex = -1;
    block.setAttribute('role', 'status');
    block.append(h('p', 'prompt-done__thanks', text));
    if (items.length) {
      const list = h('ul', 'prompt-done__items');
      for (const item of items) list.append(h('li', 'prompt-done__item', item));
      block.append(list);
    }
    if (onChange) {
      const change = h('button', 'button button--secondary prompt-card__change', t.change);
      change.type = 'button';
      change.addEventListener('click', () => {
        onChange();
        render(part);
        const field = el.body.querySelector(`[data-part="${part}"] input, [data-part="${part}"] textarea`);
        if (field) field.focus();
      });
      block.append(change);
    }
    return block;
  }

  function formShell(className) {
    const form = h('form', `prompt-form ${className}`);
    form.noValidate = true;
    markDirty(form);
    return form;
  }

  function submitRow(form, label) {
    const button = h('button', 'button button--primary prompt-form__send', label);
    button.type = 'submit';
    const error = h('p', 'prompt-error');
    error.setAttribute('role', 'alert');
    form.append(error, button);
  }

  // ---- words ------------------------------------------------------------------------------------

  function renderWords() {
    if (!editing.words && mine.words.length) {
      return doneBlock('words', t.words_thanks, mine.words, () => {
        editing.words = true;
      });
    }
    const form = formShell('prompt-form--words');
    form.append(h('p', 'prompt-form__help', t.words_help));
    const fields = h('div', 'prompt-words');
    for (let n = 1; n <= 3; n += 1) {
      const id = `prompt-word-${n}`;
      const field = h('div', 'field prompt-words__field');
      const label = h('label', 'field__label', t.word_label.replace('{n}', n));
      label.htmlFor = id;
      if (n > 1) label.append(' ', h('span', 'field__optional', t.optional));
      const input = h('input', 'input prompt-words__input');
      Object.assign(input, { id, type: 'text', maxLength: MAX_WORD, autocomplete: 'off', value: mine.words[n - 1] || '' });
      input.setAttribute('autocapitalize', 'none');
      input.setAttribute('enterkeyhint', n === 3 ? 'send' : 'next');
      if (n === 1) input.required = true;
      field.append(label, input);
      fields.append(field);
    }
    form.append(fields);
    submitRow(form, t.send_words);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const words = [...form.querySelectorAll('input')].map((i) => i.value.trim()).filter(Boolean);
      const first = form.querySelector('input');
      if (!words.length) {
        first.setAttribute('aria-invalid', 'true');
        form.querySelector('.prompt-error').textContent = t.words_required;
        first.focus();
        return;
      }
      first.removeAttribute('aria-invalid');
      send('words', form, { words }, () => {
        editing.words = false;
      });
    });
    return form;
  }

  // ---- bilan ------------------------------------------------------------------------------------

  function renderTakeaway() {
    if (!editing.takeaway && mine.takeaway) {
      return doneBlock('takeaway', t.takeaway_thanks, [mine.takeaway], () => {
        editing.takeaway = true;
      });
    }
    const form = formShell('prompt-form--takeaway');
    const label = h('label', 'field__label', t.takeaway_label);
    label.htmlFor = 'prompt-takeaway';
    const area = h('textarea', 'input prompt-takeaway');
    Object.assign(area, { id: 'prompt-takeaway', rows: 3, maxLength: 1000, value: mine.takeaway || '' });
    area.setAttribute('aria-describedby', 'prompt-takeaway-help');
    const help = h('p', 'field__help', t.takeaway_help);
    help.id = 'prompt-takeaway-help';
    form.append(label, area, help);
    submitRow(form, t.send_takeaway);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const takeaway = area.value.trim();
      if (!takeaway) {
        area.setAttribute('aria-invalid', 'true');
        form.querySelector('.prompt-error').textContent = t.takeaway_required;
        area.focus();
        return;
      }
      area.removeAttribute('aria-invalid');
      send('takeaway', form, { takeaway }, () => {
        editing.takeaway = false;
      });
    });
    return form;
  }

  function ratingGroup(label, index) {
    const set = h('fieldset', 'prompt-rating');
    set.append(h('legend', 'prompt-rating__label', label));
    const options = h('div', 'prompt-rating__options');
    const name = `prompt-rating-${index}`;
    for (const value of [1, 2, 3, 4, 5, null]) {
      const option = h('label', `prompt-rating__option${value === null ? ' prompt-rating__option--none' : ''}`);
      const input = h('input', 'prompt-rating__input');
      Object.assign(input, { type: 'radio', name, value: value === null ? '' : String(value) });
      if (value !== null) input.setAttribute('aria-label', t.rating_value.replace('{n}', value));
      option.append(input, h('span', 'prompt-rating__text', value === null ? t.no_answer : String(value)));
      options.append(option);
    }
    set.append(options);
    return set;
  }

  function renderEvaluation() {
    const section = h('section', 'prompt-evaluation');
    section.append(h('h3', 'prompt-evaluation__title', t.evaluation_title));
    if (mine.evaluated) {
      section.append(doneBlock('evaluation', t.evaluation_thanks, [], null));
      return section;
    }
    const form = formShell('prompt-form--evaluation');
    form.append(h('p', 'prompt-form__help prompt-form__help--anonymous', t.evaluation_help));
    if (prompt.ratings.length) form.append(h('p', 'prompt-form__scale', t.rating_scale));
    prompt.ratings.forEach((label, index) => form.append(ratingGroup(label, index)));
    let comment = null;
    if (prompt.open_question) {
      const label = h('label', 'field__label', prompt.open_question);
      label.htmlFor = 'prompt-comment';
      label.append(' ', h('span', 'field__optional', t.comment_optional));
      comment = h('textarea', 'input prompt-comment');
      Object.assign(comment, { id: 'prompt-comment', rows: 3, maxLength: 1000 });
      form.append(label, comment);
    }
    submitRow(form, t.evaluation_send);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const ratings = prompt.ratings.map((_, index) => {
        const checked = form.querySelector(`input[name="prompt-rating-${index}"]:checked`);
        return checked && checked.value ? Number(checked.value) : null;
      });
      const text = comment ? comment.value.trim() : '';
      if (ratings.every((r) => r === null) && !text) {
        form.querySelector('.prompt-error').textContent = t.evaluation_empty;
        return;
      }
      send('evaluation', form, { ratings, comment: text }, () => {});
    });
    section.append(form);
    return section;
  }

  connection.listen('live', apply);
  if (api) api.getJson('/api/v1/live').then((response) => response.ok && apply(response.body)).catch(() => {});
}
