// Board page: the facilitators' changes of the whole board, live (docs/sync-spec.md SYNC-16).
//
// The state (sync.js) merges each event's `data.board` into its board and takes `board.template`'s
// zones like a zone event's, so the zones redraw by themselves. This module shows the rest:
//   board.rename   the title in the header, the window's title and this board's tab
//   board.colour   the group's colour (its dot, and the page's accent)
//   board.template a message: the zones changed, the notes of the zones that went are in the inbox
//   board.delete   a clear message, and the page offers no more changes (`onRemoved`); a board that
//                  later answers `not_found` (join, snapshot, catch-up) was removed too.

import { format } from './sync.js';

const HEX = /^#[0-9a-fA-F]{6}$/;

/**
 * `board`: the page's root element; `t`: its strings (board_renamed, board_template, board_removed);
 * `notify(message)`: shows a passing message; `announce(message)`: for screen readers;
 * `onRemoved(message)`: once, when the board turns out to be removed.
 */
export function createBoardChanges({ board, boardId, t, notify, announce, onRemoved }) {
  const heading = document.querySelector('#board-title span');
  const headingDot = document.querySelector('#board-title circle');
  const tab = document.querySelector('.board-switcher .chip--current');
  let title = heading ? heading.textContent : '';
  let removed = false;

  function rename(next, { quiet = false } = {}) {
    if (typeof next !== 'string' || !next || next === title) return;
    // The window's title starts with the board's: "<board> · <workshop> · Collab".
    if (document.title.startsWith(title)) document.title = next + document.title.slice(title.length);
    title = next;
    if (heading) heading.textContent = next; // text, never markup
    const tabName = tab && tab.querySelector('span');
    if (tabName) tabName.textContent = next;
    if (!quiet) announce(format(t.board_renamed, { title: next }));
  }

  function recolour(colour) {
    if (!HEX.test(colour || '')) return;
    board.style.setProperty('--group-colour', colour);
    headingDot?.setAttribute('fill', colour);
    tab?.querySelector('circle')?.setAttribute('fill', colour);
  }

  function markRemoved() {
    if (removed) return;
    removed = true;
    board.classList.add('board--removed');
    onRemoved(t.board_removed);
  }

  return {
    get removed() {
      return removed;
    },
    markRemoved,
    /** A snapshot's board: a page kept offline may show an older title. */
    onBoardMeta(snapshotBoard) {
      if (snapshotBoard && snapshotBoard.id === boardId) rename(snapshotBoard.title, { quiet: true });
    },
    /** For each event the state applied (BoardState's onEvent). */
    onEvent(event) {
      const changed = event && event.data && event.data.board;
      if (!changed || changed.id !== boardId) return;
      if (event.type === 'board.rename') rename(changed.title);
      else if (event.type === 'board.colour') recolour(changed.colour);
      else if (event.type === 'board.template') notify(t.board_template);
      else if (event.type === 'board.delete') markRemoved();
    },
  };
}
