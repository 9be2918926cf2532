// Clicks by country on a world map: world.svg (Natural Earth's outlines, served from the jar, one
// path per country by its ISO 3166-1 alpha-2 code) put into the page and shaded from a country
// breakdown's rows; each country's <title> names it with its clicks. What the map has no outline
// for (ZZ, unknown; (other); a country too small for 1:110m) is listed beside it with its count.
import * as format from './format.js';

/** Shades from none to the most clicks; a country's is its clicks' share of the most, on a log scale. */
const SHADES = 5;
let svg = null;

/** The map's file, read once and parsed for each map the page shows (its own file: no markup from visitors). */
async function outlines() {
  if (!svg) {
    svg = fetch(window.location.origin + '/admin/ui/world.svg', { signal: AbortSignal.timeout(20000) })
      .then(answer => {
        if (!answer.ok) throw new Error('The world map could not be read (' + answer.status + ').');
        return answer.text();
      })
      .catch(e => {
        svg = null;
        throw e;
      });
  }
  return new DOMParser().parseFromString(await svg, 'image/svg+xml').documentElement;
}

export class WorldMap {
  /** figure: the element the map and its list of countries not on it go into; label: what the map shows. */
  constructor(figure, label) {
    this.figure = figure;
    this.label = label;
    this.map = null;
    this.rows = [];
  }

  async ensure() {
    if (this.map) return;
    const map = document.importNode(await outlines(), true);
    if (this.map) return;
    map.setAttribute('role', 'group');
    map.setAttribute('aria-label', this.label);
    map.classList.add('world');
    // By data-country, not id: the page may hold two maps (the overview's and a campaign's).
    map.querySelectorAll('path[id]').forEach(path => {
      path.dataset.country = path.id;
      path.removeAttribute('id');
      path.removeAttribute('data-name');
      path.append(document.createElementNS('http://www.w3.org/2000/svg', 'title'));
    });
    this.map = map;
    this.missing = document.createElement('p');
    this.missing.className = 'hint not-on-map';
    this.figure.replaceChildren(map, this.missing);
  }

  /** Shades the map from a country breakdown's rows (value, click_count, bot_click_count). */
  async shade(rows) {
    this.rows = rows;
    await this.ensure();
    if (this.rows !== rows) return; // a later read's rows are being shown
    const clicks = new Map(rows.map(row => [row.value, row]));
    const most = Math.max(0, ...rows.map(row => row.click_count));
    this.map.querySelectorAll('path[data-country]').forEach(path => {
      const code = path.dataset.country;
      const row = clicks.get(code);
      const count = row ? row.click_count : 0;
      const level = count > 0 ? Math.max(1, Math.ceil(SHADES * Math.log1p(count) / Math.log1p(most))) : 0;
      path.setAttribute('class', 'shade-' + level);
      path.dataset.clicks = String(count);
      path.querySelector('title').textContent = format.country(code) + ': ' + format.number(count) + ' clicks'
        + (row && row.bot_click_count ? ', ' + format.number(row.bot_click_count) + ' bots' : '');
      clicks.delete(code);
    });
    const elsewhere = [...clicks.values()].filter(row => row.click_count > 0 || row.bot_click_count > 0);
    this.missing.textContent = elsewhere.length === 0 ? ''
      : 'Not on the map: ' + elsewhere.map(row => format.country(row.value) + ' ' + format.number(row.click_count)
        + (row.bot_click_count ? ' (' + format.number(row.bot_click_count) + ' bots)' : '')).join(' · ');
    this.missing.hidden = elsewhere.length === 0;
  }
}
