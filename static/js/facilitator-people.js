// The workshop page's people: participants (online now, rename, move to another group, remove),
// refreshed every few seconds while the page is shown; and the co-facilitators and invitations.

import { $, h, timeFormatter } from './ui.js';
import { API, announce, busy, call, confirmDialog, errorBox, fill, t, toast } from './facilitator-api.js';
import { plural } from './plural.js';
import { timeFormat } from './time.js';

const REFRESH_MS = 8000;

export function initParticipants(state) {
  const list = $('people-list');
  const rows = new Map();
  const showError = errorBox($('people-error'));
  const clock = timeFormatter(document.documentElement.lang || 'fr');
  const base = () => `${API}/workshops/${encodeURIComponent(state.workshop.id)}/participants`;
  let people = [];
  let timer = null;

  async function change(person, method, body, message, values) {
    const result = await call(method, `${base()}/${encodeURIComponent(person.id)}`, body);
    if (!result.ok) {
      toast(result.message, { kind: 'error' });
      return false;
    }
    people = result.body.participants;
    render();
    toast(fill(message, values));
    return true;
  }

  function groupName(id) {
    const group = state.workshop.groups.find((g) => g.id === id);
    return group ? group.name : t.no_group;
  }

  function fillOptions(select, selected) {
    const wanted = [['', t.no_group], ...state.workshop.groups.map((g) => [g.id, g.name])];
    const same =
      select.options.length === wanted.length &&
      wanted.every(([id, name], i) => select.options[i].value === id && select.options[i].text === name);
    if (!same) {
      select.replaceChildren(...wanted.map(([id, name]) => new Option(name, id)));
    }
    if (document.activeElement !== select) select.value = selected || '';
  }

  function row(person) {
    let li = rows.get(person.id);
    if (li) return li;
    li = h('li', 'person');
    li.dataset.id = person.id;
    const dot = h('span', 'person__status');
    const main = h('div', 'person__main');
    const name = h('span', 'person__name');
    const meta = h('span', 'person__meta');
    main.append(name, meta);
    const select = h('select', 'select person__group');
    const rename = h('button', 'button button--ghost person__rename', t.rename);
    rename.type = 'button';
    const remove = h('button', 'button button--ghost button--danger person__remove', t.remove);
    remove.type = 'button';
    li.append(dot, main, select, rename, remove);
    const current = () => people.find((p) => p.id === li.dataset.id);

    select.addEventListener('change', () => {
      const person = current();
      const group = select.value || null;
      change(person, 'PATCH', { group_id: group }, t.moved, { name: person.name, group: groupName(group) });
    });
    rename.addEventListener('click', () => startRename(li, current()));
    remove.addEventListener('click', async () => {
      const person = current();
      if (!(await confirmDialog(fill(t.confirm_remove, person), t.remove))) return;
      if (await change(person, 'DELETE', undefined, t.removed, person)) list.focus();
    });
    rows.set(person.id, li);
    return li;
  }

  function startRename(li, person) {
    const main = li.querySelector('.person__main');
    const form = h('form', 'person__rename-form');
    const input = h('input', 'input person__name-input');
    input.value = person.name;
    input.maxLength = 60;
    input.setAttribute('aria-label', fill(t.rename_label, person));
    const save = h('button', 'button button--primary', t.save);
    save.type = 'submit';
    const cancel = h('button', 'button button--ghost', t.cancel);
    cancel.type = 'button';
    form.append(input, save, cancel);
    main.hidden = true;
    li.classList.add('is-editing');
    main.after(form);
    input.focus();
    input.select();
    const close = () => {
      form.remove();
      main.hidden = false;
      li.classList.remove('is-editing');
      li.querySelector('.person__rename').focus();
    };
    cancel.addEventListener('click', close);
    input.addEventListener('keydown', (event) => event.key === 'Escape' && close());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (!name || name === person.name) return close();
      save.disabled = true;
      if (await change(person, 'PATCH', { name }, t.renamed, { name })) close();
      else save.disabled = false;
    });
  }

  function fillRow(li, person) {
    li.classList.toggle('person--online', person.online);
    const dot = li.querySelector('.person__status');
    dot.title = person.online ? t.online : t.offline;
    dot.setAttribute('aria-label', dot.title);
    dot.setAttribute('role', 'img');
    li.querySelector('.person__name').textContent = person.name;
    li.querySelector('.person__meta').textContent = `${groupName(person.group_id)} · ${plural(t, 'cards_by', person.card_count)}`;
    const select = li.querySelector('.person__group');
    select.setAttribute('aria-label', fill(t.move_label, person));
    fillOptions(select, person.group_id);
    li.querySelector('.person__rename').setAttribute('aria-label', fill(t.rename_label, person));
    li.querySelector('.person__remove').setAttribute('aria-label', fill(t.remove_label, person));
  }

  function render() {
    const shown = people.filter((p) => p.role === 'participant');
    shown.sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
    const wanted = new Set(shown.map((p) => p.id));
    for (const [id, li] of rows) {
      if (!wanted.has(id)) {
        li.remove();
        rows.delete(id);
      }
    }
    shown.forEach((person, index) => {
      const li = row(person);
      if (!li.classList.contains('is-editing')) fillRow(li, person);
      if (list.children[index] !== li && !li.contains(document.activeElement)) {
        list.insertBefore(li, list.children[index] || null);
      }
    });
    $('people-loading').hidden = true;
    $('people-empty').hidden = shown.length > 0;
    const online = shown.filter((p) => p.online).length;
    $('people-count').textContent = shown.length ? plural(t, 'people_online', shown.length, undefined, { online }) : '';
  }

  async function load() {
    clearTimeout(timer);
    const result = await call('GET', base());
    if (result.ok) {
      showError('');
      people = result.body.participants;
      render();
      $('people-updated').textContent = fill(t.refreshed, { time: clock(new Date().toISOString()) });
    } else {
      $('people-loading').hidden = true;
      showError(result.message);
    }
    if (document.visibilityState === 'visible') timer = setTimeout(load, REFRESH_MS);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') load();
    else clearTimeout(timer);
  });
  list.tabIndex = -1;
  load();
  return { groupsChanged: render, reload: load };
}

export function initFacilitators(state) {
  const list = $('fac-list');
  const base = `${API}/workshops/${encodeURIComponent(state.workshop.id)}`;
  const showError = errorBox($('invite-error'));
  const expiry = timeFormat(document.documentElement.lang || 'fr', { day: 'numeric', month: 'long' });

  function render(data) {
    const items = [];
    for (const person of data.facilitators) {
      const li = h('li', 'person');
      const main = h('div', 'person__main');
      const isMe = person.id === state.account.id;
      main.append(h('span', 'person__name', isMe ? `${person.name} (${t.you})` : person.name), h('span', 'person__meta', person.email));
      li.append(main);
      if (data.facilitators.length > 1) {
        const remove = h('button', 'button button--ghost button--danger', isMe ? t.leave : t.remove);
        remove.type = 'button';
        remove.setAttribute('aria-label', fill(t.remove_facilitator_label, person));
        remove.addEventListener('click', async () => {
          const question = isMe ? t.confirm_leave : fill(t.confirm_remove_facilitator, person);
          if (!(await confirmDialog(question, isMe ? t.leave : t.remove))) return;
          const result = await call('DELETE', `${base}/facilitators/${encodeURIComponent(person.id)}`);
          if (!result.ok) return toast(result.message, { kind: 'error' });
          if (isMe) return window.location.assign('/facilitator/');
          render(result.body);
        });
        li.append(remove);
      }
      items.push(li);
    }
    for (const invitation of data.invitations) {
      const li = h('li', 'person person--pending');
      const main = h('div', 'person__main');
      const until = fill(t.pending, { date: expiry.format(new Date(invitation.expires_at)) });
      main.append(h('span', 'person__name', invitation.email), h('span', 'person__meta', until));
      const revoke = h('button', 'button button--ghost button--danger', t.revoke);
      revoke.type = 'button';
      revoke.setAttribute('aria-label', fill(t.revoke_label, invitation));
      revoke.addEventListener('click', async () => {
        const result = await call('DELETE', `${base}/invitations/${encodeURIComponent(invitation.id)}`);
        if (!result.ok) return toast(result.message, { kind: 'error' });
        $('invite-link').hidden = true;
        render(result.body);
        announce(t.revoked);
      });
      li.append(main, revoke);
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  const form = $('invite-form');
  const email = $('invite-email');
  const submit = $('invite-submit');
  const label = $('invite-submit-label');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('');
    const value = email.value.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
      email.setAttribute('aria-invalid', 'true');
      showError(t.email_invalid);
      email.focus();
      return;
    }
    email.removeAttribute('aria-invalid');
    busy(submit, label, true, t.inviting, t.invite);
    const result = await call('POST', `${base}/facilitators`, { email: value });
    busy(submit, label, false, t.inviting, t.invite);
    if (!result.ok) return showError(result.message);
    render(result.body);
    email.value = '';
    if (result.body.added) {
      $('invite-link').hidden = true;
      toast(fill(t.invited_added, result.body.added));
    } else if (result.body.invitation) {
      $('invite-link-text').textContent = fill(t.invitation_made, result.body.invitation);
      $('invite-link-url').value = result.body.invitation.url;
      $('invite-link').hidden = false;
      $('invite-link-url').focus();
      $('invite-link-url').select();
    }
  });

  $('invite-link-copy').addEventListener('click', async () => {
    const field = $('invite-link-url');
    try {
      await navigator.clipboard.writeText(field.value);
    } catch {
      field.select();
      document.execCommand('copy');
    }
    announce(t.copied);
    toast(t.copied, { timeout: 2500 });
  });

  call('GET', `${base}/facilitators`).then((result) => {
    if (result.ok) render(result.body);
    else showError(result.message);
  });
}
