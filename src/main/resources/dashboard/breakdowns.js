// Where clicks came from and on what, over a range: a table per dimension (the breakdowns API's
// top values with their share of the humans' clicks, and the bots), countries also on the world
// map. Values are visitors' text: always set as text, never parsed as markup. On a campaign's page
// a value can be chosen, which narrows its chart to that value's clicks.
import { api, ApiError, breakdownPath } from './api.js';
import * as format from './format.js';

export const DIMENSIONS = [
  { by: 'country', title: 'Countries', column: 'Country' },
  { by: 'referrer', title: 'Referrers', column: 'Referrer (host)' },
  { by: 'utm_source', title: 'Sources (utm_source)', column: 'utm_source' },
  { by: 'utm_medium', title: 'Media (utm_medium)', column: 'utm_medium' },
  { by: 'utm_campaign', title: 'Campaigns (utm_campaign)', column: 'utm_campaign' },
  { by: 'language', title: 'Languages', column: 'Language' },
  { by: 'os', title: 'Operating systems', column: 'OS' },
  { by: 'browser', title: 'Browsers', column: 'Browser' }
];
/** The values named per dimension; the rest are the API's one (other) row. */
const LIMIT = 10;
/** How soon after live clicks the breakdowns are read again (there is no live event per value). */
export const AGAIN_MS = 10000;

/** A value as the page shows it: a country with its name, anything else as the visitor sent it. */
export function label(by, value) {
  return by === 'country' ? format.country(value) : value;
}

function cell(tag, text, className) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

export class Breakdowns {
  /**
   * panels: the element the tables go into; map: a WorldMap shaded from the countries, or null;
   * choose: called with { by, value } when a value is chosen, null when the chosen one is chosen
   * again; without it the values are not choosable (the overview); note: where the range and
   * when the numbers are read is said, read: how it begins ("Read with the chart's range").
   */
  constructor(panels, { map, choose, note, read }) {
    this.panels = panels;
    this.map = map;
    this.choose = choose;
    this.note = note;
    this.reading = read;
    this.chosen = null;
    this.ticket = 0;
    this.last = null;
    this.again = null;
    this.answers = null;
  }

  /** Reads every dimension for campaign id (all campaigns without one) over range; a later read wins. */
  async read(id, range) {
    const ticket = ++this.ticket;
    clearTimeout(this.again);
    this.again = null;
    this.last = { id, range };
    let answers;
    try {
      answers = await Promise.all(DIMENSIONS.map(d => api(breakdownPath(id, d.by, range, LIMIT))));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 400 || ticket !== this.ticket) throw e;
      // A range the breakdowns do not answer (longer than they cover): said here, the chart still shown.
      this.answers = null;
      this.panels.replaceChildren();
      if (this.note) this.note.textContent = e.message;
      if (this.map) await this.map.shade([]);
      return;
    }
    if (ticket !== this.ticket) return;
    this.answers = answers;
    this.render();
    if (this.map) await this.map.shade(answers[0].rows);
  }

  /** Live clicks were heard: read again soon, at most once per AGAIN_MS. */
  stale() {
    if (this.again || !this.last) return;
    const { id, range } = this.last;
    this.again = setTimeout(() => {
      this.again = null;
      this.read(id, range).catch(e => console.warn('breakdowns', e));
    }, AGAIN_MS);
  }

  /** Forgets the page's reads: a read on its way is not shown, nothing is read again. */
  stop() {
    this.ticket++;
    clearTimeout(this.again);
    this.again = null;
    this.last = null;
  }

  /** Marks the chosen value ({ by, value } or null). */
  mark(chosen) {
    this.chosen = chosen;
    this.panels.querySelectorAll('button.value').forEach(button => {
      button.setAttribute('aria-pressed', String(Boolean(chosen) && button.dataset.by === chosen.by
        && button.dataset.value === chosen.value));
    });
  }

  /** Puts the focus on a value's button ({ by, value }), if its table has it. */
  focus(value) {
    const button = value && [...this.panels.querySelectorAll('button.value')]
      .find(b => b.dataset.by === value.by && b.dataset.value === value.value);
    if (button) button.focus();
  }

  render() {
    const first = this.answers[0];
    if (this.note) {
      this.note.textContent = 'Whole hours: ' + format.period(new Date(first.from), new Date(first.to), 'hour')
        + '. ' + this.reading + ' and again within ' + AGAIN_MS / 1000 + ' s of live clicks, so they may lag'
        + ' the live totals above. (none): clicks that did not tell; (other): the values past the first ' + LIMIT
        + ' and those past the 1,000 an hour keeps per dimension.';
    }
    // A value chosen from the keyboard keeps the focus when the tables are made anew.
    const active = document.activeElement;
    const focused = active && this.panels.contains(active) && active.dataset.by ? active.dataset : null;
    this.panels.replaceChildren(...DIMENSIONS.map((dimension, i) => this.panel(dimension, this.answers[i].rows)));
    this.mark(this.chosen);
    if (focused) this.focus(focused);
  }

  panel(dimension, rows) {
    const section = document.createElement('section');
    section.className = 'breakdown';
    section.dataset.by = dimension.by;
    const heading = cell('h3', dimension.title);
    heading.id = this.panels.id + '-' + dimension.by;
    section.setAttribute('aria-labelledby', heading.id);
    section.append(heading);
    const humans = rows.reduce((sum, row) => sum + row.click_count, 0);
    if (rows.length === 0) {
      section.append(cell('p', 'No clicks in this range.', 'hint empty'));
      return section;
    }
    // Conversions by the value, where the service tells them: by country (a click id carries no other).
    const converted = rows.some(row => row.conversion_count !== undefined);
    const table = document.createElement('table');
    const caption = cell('caption', dimension.title + ': clicks, their share of the humans\' clicks, and bots'
      + (converted ? ', and conversions' : '') + (this.choose ? '; choose a value to show only its clicks in the chart' : ''), 'offscreen');
    const head = document.createElement('tr');
    head.append(cell('th', dimension.column), cell('th', 'Clicks', 'number'), cell('th', 'Share', 'number'), cell('th', 'Bots', 'number'));
    if (converted) head.append(cell('th', 'Conversions', 'number'));
    head.querySelectorAll('th').forEach(th => { th.scope = 'col'; });
    const thead = document.createElement('thead');
    thead.append(head);
    const body = document.createElement('tbody');
    rows.forEach(row => {
      const tr = document.createElement('tr');
      tr.dataset.value = row.value;
      const name = document.createElement('th');
      name.scope = 'row';
      const text = label(dimension.by, row.value);
      // (other) sums the values past the limit with those recorded as (other): no series has just those.
      if (this.choose && row.value !== '(other)') {
        const button = cell('button', text, 'value');
        button.type = 'button';
        button.dataset.by = dimension.by;
        button.dataset.value = row.value;
        button.addEventListener('click', () => {
          const again = this.chosen && this.chosen.by === dimension.by && this.chosen.value === row.value;
          this.choose(again ? null : { by: dimension.by, value: row.value });
        });
        name.append(button);
      } else {
        name.textContent = text;
      }
      const share = cell('td', format.share(row.click_count, humans), 'number share');
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.setAttribute('aria-hidden', 'true');
      // Through the CSSOM, which the page's Content-Security-Policy allows (no style attribute in markup).
      bar.style.width = (humans > 0 ? 100 * row.click_count / humans : 0) + '%';
      share.prepend(bar);
      const clicks = cell('td', format.number(row.click_count), 'number');
      clicks.dataset.counter = 'click_count';
      const bots = cell('td', format.number(row.bot_click_count), 'number');
      bots.dataset.counter = 'bot_click_count';
      tr.append(name, clicks, share, bots);
      if (converted) {
        const conversions = cell('td', format.number(row.conversion_count || 0), 'number');
        conversions.dataset.counter = 'conversion_count';
        tr.append(conversions);
      }
      body.append(tr);
    });
    table.append(caption, thead, body);
    section.append(table);
    return section;
  }
}
