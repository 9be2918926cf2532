// The counters and platforms as the API names them, and the one way the page spells them.
// CountersTest holds these constants to com.o7tracker.campaign.Counters and Platform.

export const COUNTERS = ['click_count', 'android_click_count', 'iphone_click_count', 'windowsphone_click_count',
  'other_click_count', 'bot_click_count'];
export const SERIES = [['android', 'android_click_count', '#188038'], ['iphone', 'iphone_click_count', '#0a6fd6'],
  ['windowsphone', 'windowsphone_click_count', '#a4373a'], ['other', 'other_click_count', '#5f6368'],
  ['bot', 'bot_click_count', '#b35c00']];
export const PLATFORMS = ['Android', 'IPhone', 'WindowsPhone', 'Other'];

/** The platforms (API names) as people write them. */
export const PLATFORM_LABELS = { Android: 'Android', IPhone: 'iPhone', WindowsPhone: 'Windows Phone', Other: 'Other' };

/** Each counter's heading: the humans' total, each platform, the bots apart. */
export const COUNTER_LABELS = {
  click_count: 'Clicks',
  android_click_count: PLATFORM_LABELS.Android,
  iphone_click_count: PLATFORM_LABELS.IPhone,
  windowsphone_click_count: PLATFORM_LABELS.WindowsPhone,
  other_click_count: PLATFORM_LABELS.Other,
  bot_click_count: 'Bots'
};

/** A bucket or campaign with every counter at zero. */
export function zeros(extra) {
  const counters = Object.assign({}, extra);
  COUNTERS.forEach(c => { counters[c] = 0; });
  return counters;
}

/** Adds a live delta's counters to a bucket or campaign. */
export function add(target, delta) {
  COUNTERS.forEach(c => { target[c] += delta[c] || 0; });
}
