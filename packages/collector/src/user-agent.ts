/** Coarse, low-cardinality facts about a user agent, for the session row. */
export interface UserAgentInfo {
  browser: string;
  os: string;
  deviceType: 'desktop' | 'mobile' | 'tablet' | 'other';
}

const cache = new Map<string, UserAgentInfo>();
const CACHE_LIMIT = 2_000;

function classify(ua: string): UserAgentInfo {
  const browser = /Edg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /SamsungBrowser\//.test(ua)
        ? 'Samsung Internet'
        : /Firefox\/|FxiOS\//.test(ua)
          ? 'Firefox'
          : /Chrome\/|CriOS\/|Chromium\//.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua) && /Version\//.test(ua)
              ? 'Safari'
              : 'Other';
  const os = /iPhone|iPad|iPod/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /CrOS/.test(ua)
          ? 'ChromeOS'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : 'Other';
  const deviceType = /iPad|Tablet/.test(ua) || (/Android/.test(ua) && !/Mobile/.test(ua))
    ? 'tablet'
    : /Mobi|iPhone|iPod/.test(ua)
      ? 'mobile'
      : os === 'Other'
        ? 'other'
        : 'desktop';
  return { browser, os, deviceType };
}

export function parseUserAgent(ua: string): UserAgentInfo {
  let info = cache.get(ua);
  if (!info) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    info = classify(ua);
    cache.set(ua, info);
  }
  return info;
}
