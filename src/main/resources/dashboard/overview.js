// The overview's breakdowns: where the clicks of all campaigns (deleted ones included) came from
// over the last 24 hours, 7 or 30 days, countries also on the world map.
import { Breakdowns } from './breakdowns.js';
import { WorldMap } from './worldmap.js';
import * as live from './live.js';
import { pageError } from './feedback.js';

const HOUR = 3600000;
const RANGES = [{ key: '24h', label: '24 hours', hours: 24 }, { key: '7d', label: '7 days', hours: 7 * 24 },
  { key: '30d', label: '30 days', hours: 30 * 24 }];
let chosen = RANGES[0];
let shown = false;
let breakdowns = null;

/** The chosen number of whole hours up to the end of the current one. */
function current() {
  const to = Math.ceil((Date.now() + 1) / HOUR) * HOUR;
  return { from: new Date(to - chosen.hours * HOUR), to: new Date(to) };
}

function load() {
  return breakdowns.read(null, current()).catch(e => pageError(e.message));
}

export function init() {
  breakdowns = new Breakdowns(document.getElementById('overview-breakdowns'), {
    map: new WorldMap(document.getElementById('overview-map'), 'Clicks of all campaigns by country on a world map'),
    note: document.getElementById('overview-note'),
    read: 'Read when the list is shown'
  });
  const buttons = document.getElementById('overview-range');
  RANGES.forEach(range => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = range.label;
    button.dataset.range = range.key;
    button.setAttribute('aria-pressed', String(range === chosen));
    button.addEventListener('click', () => {
      chosen = range;
      buttons.querySelectorAll('button').forEach(b => b.setAttribute('aria-pressed', String(b === button)));
      load();
    });
    buttons.append(button);
  });
  live.on('clicks', () => { if (shown) breakdowns.stale(); });
  live.on('reconnect', () => { if (shown) load(); });
}

/** Shows the overview's breakdowns, read anew. */
export function show() {
  shown = true;
  return load();
}

export function hide() {
  shown = false;
  breakdowns.stop();
}
