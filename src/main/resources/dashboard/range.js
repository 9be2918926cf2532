// The range picker (last hour … 90 days, or custom), the interval that follows it, and the
// headline totals of the range against the previous period of the same length.
import { COUNTERS, COUNTER_LABELS, zeros } from './platforms.js';
import * as format from './format.js';

const MINUTE = 60000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const WIDTH = { minute: MINUTE, hour: HOUR, day: DAY };
/**
 * How far back minute buckets are answered: the last 7 days (STATS_MINUTE_RETENTION's default)
 * until a read of minutes is refused as older than the service keeps them (see minutesRefused).
 */
let minutesKept = 7 * DAY - HOUR;

/** A read of minutes from `from` was refused at `now`: minutes that old are not asked for again. */
export function minutesRefused(from, now) {
  minutesKept = Math.max(HOUR, Math.min(minutesKept, now - from - MINUTE));
}

export const RANGES = [
  { key: '1h', label: 'Last hour', length: HOUR, interval: 'minute' },
  { key: '24h', label: '24 hours', length: DAY, interval: 'hour' },
  { key: '7d', label: '7 days', length: 7 * DAY, interval: 'hour' },
  { key: '30d', label: '30 days', length: 30 * DAY, interval: 'day' },
  { key: '90d', label: '90 days', length: 90 * DAY, interval: 'day' }
];

let chosen = '1h';
let custom = null;
let listener = () => {};

/**
 * The range to show: whole buckets (the API's, in UTC) up to the one now is in, or the custom
 * range rounded out to whole buckets. `live` when now is inside it.
 */
export function current(now) {
  now = now || Date.now();
  let from;
  let to;
  let interval;
  if (chosen === 'custom' && custom) {
    const length = custom.to - custom.from;
    // Minutes only while the previous period's are kept too.
    interval = length <= 6 * HOUR && custom.from - length > now - minutesKept ? 'minute' : length <= 14 * DAY ? 'hour' : 'day';
    const width = WIDTH[interval];
    from = Math.floor(custom.from / width) * width;
    to = Math.ceil(custom.to / width) * width;
  } else {
    const range = RANGES.find(r => r.key === chosen);
    interval = range.interval;
    const width = WIDTH[interval];
    to = Math.floor(now / width) * width + width;
    from = to - range.length;
  }
  return { key: chosen, interval, from: new Date(from), to: new Date(to), live: to > now };
}

/** The next finer interval the API answers for a range starting at from (minutes only while kept). */
function finer(interval, from, now) {
  if (interval === 'day') return 'hour';
  if (interval === 'hour' && from > now - minutesKept) return 'minute';
  return interval;
}

/**
 * The period of the same length just before the range, to compare with. A live range holds its
 * last bucket only up to now: its previous period is read up to the same point (in the next finer
 * buckets, whole, as the range's last one is), not as a whole period against a partial one.
 */
export function previous(range, now) {
  const length = range.to - range.from;
  const from = new Date(range.from - length);
  if (!range.live) return { interval: range.interval, from, to: range.from };
  const interval = finer(range.interval, from.getTime(), now || Date.now());
  const width = WIDTH[interval];
  const to = Math.floor(((now || Date.now()) - length) / width) * width + width;
  return { interval, from, to: new Date(Math.min(Math.max(to, from.getTime() + width), range.from.getTime())) };
}

/**
 * A range in minutes as whole hours (its first and last rounded out), as a series narrowed to one
 * value is answered: clicks are kept per hour by where they came from. Hours and days as they are.
 */
export function inHours(range, now) {
  if (range.interval !== 'minute') return range;
  const from = Math.floor(range.from / HOUR) * HOUR;
  const to = Math.ceil(range.to / HOUR) * HOUR;
  return Object.assign({}, range, { interval: 'hour', from: new Date(from), to: new Date(to), live: to > (now || Date.now()) });
}

/** Builds the picker in its fieldset; onChange runs when another range is chosen. */
export function picker(onChange) {
  listener = onChange;
  const buttons = document.getElementById('range-buttons');
  const form = document.getElementById('custom-range');
  RANGES.concat([{ key: 'custom', label: 'Custom' }]).forEach(range => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = range.label;
    button.dataset.range = range.key;
    button.addEventListener('click', () => {
      if (range.key === 'custom') {
        // Starts from the range shown, to be changed rather than typed anew.
        const shown = current();
        const from = document.getElementById('custom-from');
        const to = document.getElementById('custom-to');
        if (!from.value) from.value = localInput(shown.from);
        if (!to.value) to.value = localInput(shown.to);
        form.hidden = false;
        from.focus();
        return;
      }
      form.hidden = true;
      choose(range.key);
    });
    buttons.appendChild(button);
  });
  form.addEventListener('submit', event => {
    event.preventDefault();
    const from = new Date(document.getElementById('custom-from').value).getTime();
    const to = new Date(document.getElementById('custom-to').value).getTime();
    const error = document.getElementById('custom-range-error');
    if (!(from < to)) {
      error.textContent = 'The start must be before the end.';
      return;
    }
    error.textContent = '';
    custom = { from, to };
    choose('custom');
  });
  pressed();
}

/** A time as a datetime-local input holds it: the browser's local date and time, to the minute. */
function localInput(date) {
  return new Date(date.getTime() - date.getTimezoneOffset() * MINUTE).toISOString().slice(0, 16);
}

function choose(key) {
  chosen = key;
  pressed();
  listener(current());
}

function pressed() {
  document.querySelectorAll('#range-buttons button').forEach(b => b.setAttribute('aria-pressed', String(b.dataset.range === chosen)));
}

export function sum(buckets) {
  const total = zeros();
  buckets.forEach(b => COUNTERS.forEach(c => { total[c] += b[c]; }));
  return total;
}

/**
 * The headline: each counter's total over the range and its change against the previous period
 * (read up to the same point, see previous()).
 */
export function totals(range, buckets, previous, before, offline) {
  const now = sum(buckets);
  const then = sum(before);
  const cards = document.getElementById('totals');
  cards.replaceChildren(...COUNTERS.map(counter => {
    const card = document.createElement('div');
    card.className = 'total ' + counter;
    card.dataset.counter = counter;
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = COUNTER_LABELS[counter];
    const value = document.createElement('strong');
    value.className = 'value';
    value.dataset.value = now[counter];
    value.textContent = format.number(now[counter]);
    const delta = document.createElement('span');
    delta.className = 'change';
    delta.textContent = format.change(now[counter], then[counter]) + ' vs previous';
    delta.title = format.number(then[counter]) + ' in ' + format.period(previous.from, previous.to, previous.interval);
    card.append(label, value, delta);
    return card;
  }));
  const period = document.getElementById('period');
  period.textContent = format.period(range.from, range.to, range.interval)
    + ', per ' + range.interval + (!range.live ? ', a snapshot' : offline ? ', live updates stopped' : ', live');
  period.dataset.interval = range.interval;
  period.dataset.from = range.from.toISOString();
  period.dataset.to = range.to.toISOString();
}
