// A campaign's conversions, all time: how many, per event, the revenue per currency and the rate
// to its human clicks; and the postback URL partners fill in. Every value is set as text.
import { number } from './format.js';
import { copyButton } from './links.js';

const rates = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 2 });

function term(list, name, value) {
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

/** The postback URLs for partners, the key left for the operator to fill in: an event, and one with revenue. */
export function postbackTemplates() {
  const base = window.location.origin + '/postback?click_id={click_id}';
  return [base + '&event=install&key=YOUR_KEY', base + '&event=purchase&revenue={revenue}&currency=EUR&key=YOUR_KEY'];
}

/** Shows campaign's conversion_count, conversions, revenue and rate. */
export function render(campaign) {
  const totals = document.getElementById('conversion-totals');
  totals.replaceChildren();
  term(totals, 'Conversions', number(campaign.conversion_count || 0));
  term(totals, 'Conversion rate (per human click)', campaign.click_count > 0
    ? rates.format((campaign.conversion_count || 0) / campaign.click_count) : '–');
  const revenue = Object.entries(campaign.revenue || {});
  // Decimal strings as the service keeps them, exactly: a float would round them.
  term(totals, 'Revenue', revenue.length ? revenue.map(([currency, amount]) => amount + ' ' + currency).join(', ') : 'none');
  const days = campaign.conversion_window_days || 30;
  term(totals, 'Conversion window', days + (days === 1 ? ' day' : ' days') + ' after the click');

  const body = document.querySelector('#conversion-events tbody');
  const events = Object.entries(campaign.conversions || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  body.replaceChildren(...(events.length ? events : [['none yet', 0]]).map(([event, count]) => {
    const row = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = event;
    const cell = document.createElement('td');
    cell.className = 'number';
    cell.textContent = number(count);
    row.append(name, cell);
    return row;
  }));

  document.getElementById('postback').replaceChildren(...postbackTemplates().map((url, i) => {
    const item = document.createElement('li');
    const code = document.createElement('code');
    code.textContent = url;
    item.append(code, copyButton(url, i === 0 ? 'postback URL' : 'postback URL with revenue'));
    return item;
  }));
}

/**
 * The totals a live conversion event tells (its campaign's, as that conversion left them) kept in
 * campaign: every total only grows, so the larger of the shown and the told is the newer (two
 * instances' events may arrive out of their order).
 */
export function heard(campaign, conversion) {
  const totals = conversion.totals || {};
  campaign.conversion_count = Math.max(campaign.conversion_count || 0, totals.conversion_count || 0);
  campaign.conversions = { ...(campaign.conversions || {}) };
  Object.entries(totals.conversions || {}).forEach(([event, count]) => {
    campaign.conversions[event] = Math.max(campaign.conversions[event] || 0, count);
  });
  campaign.revenue = { ...(campaign.revenue || {}) };
  Object.entries(totals.revenue || {}).forEach(([currency, amount]) => {
    const shown = campaign.revenue[currency];
    if (shown === undefined || Number(amount) > Number(shown)) campaign.revenue[currency] = amount;
  });
}
