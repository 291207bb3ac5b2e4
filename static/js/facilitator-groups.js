// The workshop page's groups: rename, colour, board template, order, delete, add. Rows are keyed
// by group id and updated in place, so that the field being typed in keeps its focus.

import { $ } from './ui.js';
import { API, call, confirmDialog, errorBox, fill, t, toast } from './facilitator-api.js';
import { plural } from './plural.js';

// Each change carries an op_id of its own: the board ops it becomes are applied once, even when the
// request is sent again (docs/sync-spec.md SYNC-16).
const opId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export function initGroups(state, onChange) {
  const list = $('group-list');
  const template = $('group-template');
  const rows = new Map();
  const base = () => `${API}/workshops/${encodeURIComponent(state.workshop.id)}/groups`;

  async function patch(group, changes, message) {
    const result = await call('PATCH', `${base()}/${encodeURIComponent(group.id)}`, { ...changes, op_id: opId() });
    if (!result.ok) {
      toast(result.message, { kind: 'error' });
      render();
      return false;
    }
    update(result.body);
    const fresh = state.workshop.groups.find((g) => g.id === group.id) || group;
    if (message) toast(fill(message, { name: fresh.name }), { timeout: 3000 });
    return true;
  }

  function row(group) {
    let li = rows.get(group.id);
    if (li) return li;
    li = template.content.firstElementChild.cloneNode(true);
    li.dataset.id = group.id;
    const name = li.querySelector('.group-row__name');
    const colour = li.querySelector('.group-row__colour');
    const select = li.querySelector('.group-row__template');
    const current = () => state.workshop.groups.find((g) => g.id === li.dataset.id);
    name.addEventListener('change', () => {
      const value = name.value.trim();
      if (!value) {
        toast(t.group_name_required, { kind: 'error' });
        name.value = current().name;
        return;
      }
      if (value !== current().name) patch(current(), { name: value }, t.group_saved);
    });
    name.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') name.blur();
      if (event.key === 'Escape') {
        name.value = current().name;
        name.blur();
      }
    });
    colour.addEventListener('change', () => patch(current(), { colour: colour.value }, t.group_saved));
    select.addEventListener('change', async () => {
      const group = current();
      if (group.card_count > 0 && !(await confirmDialog(fill(t.confirm_template, group), t.save))) {
        select.value = group.template;
        return;
      }
      select.disabled = true;
      await patch(group, { template: select.value }, t.group_saved);
      select.disabled = false;
    });
    li.addEventListener('click', async (event) => {
      const button = event.target.closest('button[data-action]');
      if (!button) return;
      const group = current();
      const index = state.workshop.groups.indexOf(group);
      if (button.dataset.action === 'up' && index > 0) {
        if (await patch(group, { position: index - 1 })) button.focus();
      } else if (button.dataset.action === 'down' && index < state.workshop.groups.length - 1) {
        if (await patch(group, { position: index + 1 })) button.focus();
      } else if (button.dataset.action === 'delete') {
        const question = fill(t.confirm_delete_group, { name: group.name, cards: group.card_count });
        if (!(await confirmDialog(question, t.delete))) return;
        const result = await call('DELETE', `${base()}/${encodeURIComponent(group.id)}`, { op_id: opId() });
        if (!result.ok) return toast(result.message, { kind: 'error' });
        update(result.body);
        toast(fill(t.group_deleted, group));
      }
    });
    rows.set(group.id, li);
    return li;
  }

  function fillRow(li, group, index, count) {
    const name = li.querySelector('.group-row__name');
    if (document.activeElement !== name) name.value = group.name;
    name.setAttribute('aria-label', t.group_name_label);
    const colour = li.querySelector('.group-row__colour');
    colour.value = /^#[0-9a-f]{6}$/i.test(group.colour) ? group.colour : '#8a8f98';
    colour.setAttribute('aria-label', fill(t.group_colour_label, group));
    li.style.setProperty('--group-colour', colour.value);
    const select = li.querySelector('.group-row__template');
    select.value = group.template || 'territory';
    select.setAttribute('aria-label', fill(t.group_template_label, group));
    li.querySelector('.group-row__meta').textContent = `${plural(t, 'cards', group.card_count)} · ${plural(t, 'members', group.participant_count)}`;
    const open = li.querySelector('.group-row__open');
    open.textContent = t.open_board;
    open.href = `/facilitator/w/${encodeURIComponent(state.workshop.id)}/enter?board=${encodeURIComponent(group.board_id || '')}`;
    const up = li.querySelector('[data-action="up"]');
    const down = li.querySelector('[data-action="down"]');
    up.setAttribute('aria-label', fill(t.move_up, group));
    down.setAttribute('aria-label', fill(t.move_down, group));
    up.disabled = index === 0;
    down.disabled = index === count - 1;
    const remove = li.querySelector('[data-action="delete"]');
    remove.setAttribute('aria-label', fill(t.delete_group_label, group));
    remove.title = t.delete;
    if (!remove.firstChild) remove.textContent = '✕';
  }

  function render() {
    const groups = state.workshop.groups;
    const wanted = new Set(groups.map((g) => g.id));
    for (const [id, li] of rows) {
      if (!wanted.has(id)) {
        li.remove();
        rows.delete(id);
      }
    }
    groups.forEach((group, index) => {
      const li = row(group);
      fillRow(li, group, index, groups.length);
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
    });
    $('groups-empty').hidden = groups.length > 0;
  }

  function update(workshop) {
    state.workshop = { ...state.workshop, ...workshop };
    render();
    onChange(state.workshop.groups);
  }

  const add = $('group-add');
  const addName = $('group-add-name');
  const addError = errorBox($('group-add-error'));
  add.addEventListener('submit', async (event) => {
    event.preventDefault();
    addError('');
    const name = addName.value.trim();
    if (!name) {
      addName.setAttribute('aria-invalid', 'true');
      addError(t.group_name_required);
      addName.focus();
      return;
    }
    addName.removeAttribute('aria-invalid');
    const submit = $('group-add-submit');
    submit.disabled = true;
    const result = await call('POST', base(), { name, template: $('group-add-template').value });
    submit.disabled = false;
    if (!result.ok) {
      addError(result.message);
      return;
    }
    update(result.body.workshop);
    addName.value = '';
    toast(fill(t.group_added, { name }));
    addName.focus();
  });

  render();
  return { update };
}
