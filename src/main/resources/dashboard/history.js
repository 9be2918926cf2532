// The range's buckets as a table, newest first, with their conversions, and stretches of buckets
// without clicks or conversions folded into one row.
import { COUNTERS } from './platforms.js';
import * as format from './format.js';

function empty(bucket) {
  return COUNTERS.every(c => bucket[c] === 0) && !(bucket.conversion_count > 0);
}

function cell(tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

export function render(buckets, interval) {
  const rows = [];
  const newestFirst = buckets.slice().reverse();
  for (let i = 0; i < newestFirst.length;) {
    const bucket = newestFirst[i];
    if (!empty(bucket)) {
      const row = document.createElement('tr');
      row.dataset.start = bucket.start;
      row.appendChild(cell('th', format.bucketTime(new Date(bucket.start), interval))).scope = 'row';
      COUNTERS.forEach(c => {
        const td = cell('td', format.number(bucket[c]));
        td.dataset.counter = c;
        row.appendChild(td);
      });
      // Conversions accepted in the bucket; none told when the chart is narrowed to a value a click id does not carry.
      const conversions = cell('td', bucket.conversion_count === undefined ? '–' : format.number(bucket.conversion_count));
      conversions.dataset.counter = 'conversion_count';
      row.appendChild(conversions);
      rows.push(row);
      i++;
      continue;
    }
    let j = i;
    while (j < newestFirst.length && empty(newestFirst[j])) j++;
    const row = document.createElement('tr');
    row.className = 'folded';
    const oldest = new Date(newestFirst[j - 1].start);
    const newest = new Date(newestFirst[i].start);
    const count = j - i;
    const when = count === 1 ? format.bucketTime(newest, interval)
      : format.bucketTime(oldest, interval) + ' – ' + format.bucketTime(newest, interval);
    row.appendChild(cell('th', when)).scope = 'row';
    const note = cell('td', count === 1 ? 'no clicks' : 'no clicks in ' + format.number(count) + ' ' + interval + 's');
    note.colSpan = COUNTERS.length + 1;
    row.appendChild(note);
    rows.push(row);
    i = j;
  }
  document.querySelector('#history tbody').replaceChildren(...rows);
}
