// Numbers, times and changes in the browser's locale and time zone.

const numbers = new Intl.NumberFormat();
const percents = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
const dateTimes = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const times = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export function number(n) {
  return numbers.format(n);
}

// Day buckets are UTC days (the API's): shown as the UTC date they are, never as the local date
// their start falls on (a day starting at 00:00 UTC is still the day before west of Greenwich).
const utcDates = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const DAY = 24 * 60 * 60 * 1000;

/** A bucket's start as fits its width: a day as its UTC date, a minute or hour as local date and time. */
export function bucketTime(date, interval) {
  return interval === 'day' ? utcDates.format(date) : dateTimes.format(date);
}

/**
 * A range of buckets [from, to): days from the first to the last (UTC days, said so), minutes and
 * hours from the first's start to the end, in the browser's zone (its offset said).
 */
export function period(from, to, interval) {
  if (interval === 'day') {
    const last = new Date(to.getTime() - DAY);
    return (last.getTime() <= from.getTime() ? utcDates.format(from) : utcDates.format(from) + ' – ' + utcDates.format(last))
      + ' (UTC days)';
  }
  return dateTimes.format(from) + ' – ' + dateTimes.format(to) + ' (' + zone(from) + ')';
}

export function dateTime(date) {
  return dateTimes.format(date);
}

export function date(date) {
  return dates.format(date);
}

export function time(date) {
  return times.format(date);
}

/** The change from the previous period's count: "+12%", "−5%", "new" when it had none. */
export function change(now, before) {
  if (before === 0) return now === 0 ? '±0' : 'new';
  return percents.format((now - before) / before);
}

/** The browser's UTC offset, e.g. "UTC+01:00". */
export function zone(at) {
  const minutes = -(at || new Date()).getTimezoneOffset();
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return 'UTC' + sign + String(Math.floor(abs / 60)).padStart(2, '0') + ':' + String(abs % 60).padStart(2, '0');
}

const regions = new Intl.DisplayNames(undefined, { type: 'region', fallback: 'none' });
const shares = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

/**
 * A country as a breakdown answers it (ISO 3166-1 alpha-2), with its name: "Germany (DE)",
 * "Unknown (ZZ)"; another value ((other)) as it is.
 */
export function country(code) {
  if (code === 'ZZ') return 'Unknown (ZZ)';
  let name = null;
  try {
    name = /^[A-Z]{2}$/.test(code) ? regions.of(code) : null;
  } catch (e) {
    // a code the browser does not know: the code alone
  }
  return name ? name + ' (' + code + ')' : code;
}

/** A part of a whole as a percentage, "12.5%"; "–" of nothing. */
export function share(part, whole) {
  return whole > 0 ? shares.format(part / whole) : '–';
}
