// Putting a list's elements in a wanted order with as few DOM moves as possible: the elements
// already in increasing order (a longest increasing subsequence) stay, only the others move. A card
// dragged from the top of a 1,000-card zone to its bottom is one move, not 999.

/** The values of a longest strictly increasing subsequence of `seq` (distinct numbers), as a Set. */
export function longestIncreasing(seq) {
  const tails = []; // tails[k]: index in seq of the smallest tail of an increasing run of length k+1
  const prev = new Array(seq.length);
  for (let i = 0; i < seq.length; i += 1) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < seq[i]) lo = mid + 1;
      else hi = mid;
    }
    prev[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  }
  const keep = new Set();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i !== -1; i = prev[i]) keep.add(seq[i]);
  return keep;
}

/**
 * Makes `wanted` (elements) appear in this order in `list`. Elements of `list` not in `wanted` are
 * left where they are (they are moved elsewhere or removed by the caller). Keeps the focus of a
 * moved element. Returns the number of elements moved.
 */
export function placeInOrder(list, wanted) {
  if (!list.firstElementChild) {
    list.append(...wanted); // a first render: all at once
    return wanted.length;
  }
  let child = list.firstElementChild;
  let same = 0;
  while (same < wanted.length && child === wanted[same]) {
    child = child.nextElementSibling;
    same += 1;
  }
  if (same === wanted.length) return 0;
  const index = new Map(wanted.map((el, i) => [el, i]));
  const seq = [];
  for (let node = list.firstElementChild; node; node = node.nextElementSibling) {
    const i = index.get(node);
    if (i !== undefined) seq.push(i);
  }
  const keep = longestIncreasing(seq);
  let moved = 0;
  let next = null;
  for (let i = wanted.length - 1; i >= 0; i -= 1) {
    const el = wanted[i];
    if (!keep.has(i)) {
      const focused = typeof document !== 'undefined' && el.contains(document.activeElement) ? document.activeElement : null;
      list.insertBefore(el, next);
      if (focused && document.activeElement !== focused) focused.focus({ preventScroll: true });
      moved += 1;
    }
    next = el;
  }
  return moved;
}
