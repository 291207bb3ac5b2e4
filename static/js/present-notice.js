// Board page: "a presentation has started". When the workshop's live `presentation` (docs/protocol.md,
// "Live controls": {group_id, slide}) names a group, a notice under the live bar says which group
// presents, with one tap to follow it (/present); it goes away when the presentation ends, and a
// person who hides it is not told again about the same group's presentation in this tab.

import { format } from './sync.js';
import { h } from './ui.js';

const HIDDEN_KEY = 'collab:present-notice-hidden';

function hiddenFor() {
  try { return sessionStorage.getItem(HIDDEN_KEY) || ''; } catch { return ''; }
}

function hideFor(groupId) {
  try { sessionStorage.setItem(HIDDEN_KEY, groupId); } catch { /* private mode: hidden until reload */ }
}

/**
 * Starts the notice on a page with a live bar. `connection`: a Connection (connection.js), whose
 * `live` messages (socket, or REST polling through deliver()) carry the state; `groups`: the
 * workshop's groups [{id, name}]; `t`: the page's strings. Returns {element}.
 */
export function startPresentNotice(connection, { groups = [], t }) {
  const names = new Map(groups.map((g) => [g.id, g.name]));
  const notice = h('p', 'present-notice');
  notice.id = 'present-notice';
  notice.setAttribute('role', 'status');
  notice.hidden = true;
  const text = h('span', 'present-notice__text');
  const follow = h('a', 'button button--primary present-notice__follow', t.presentation_follow);
  follow.href = '/present';
  const close = h('button', 'present-notice__close', t.presentation_hide);
  close.type = 'button';
  notice.append(text, follow, close);
  const anchor = document.getElementById('live-bar');
  if (anchor) anchor.after(notice);
  else document.body.prepend(notice);

  let seq = -1;
  let groupId = null;
  let dismissed = hiddenFor();

  function render() {
    const show = Boolean(groupId) && groupId !== dismissed;
    notice.hidden = !show;
    if (!show) return;
    const name = names.get(groupId);
    text.textContent = name ? format(t.presentation_started, { group: name }) : t.presentation_started_any;
  }

  close.addEventListener('click', () => {
    dismissed = groupId || '';
    hideFor(dismissed);
    render();
  });

  connection.listen('live', (message) => {
    if (!message || typeof message.seq !== 'number' || message.seq <= seq || !message.state) return;
    seq = message.seq;
    const presentation = message.state.presentation;
    groupId = presentation && presentation.group_id ? presentation.group_id : null;
    if (!groupId && dismissed) {
      dismissed = ''; // over: the next presentation is news again
      hideFor('');
    }
    render();
  });
  return { element: notice };
}
