/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits.
 * Beacon events carry these ids so the events table can be partitioned by id
 * ranges that are also month ranges (see the events table's migration).
 */
export function uuidv7(now: number = Date.now(), random: Uint8Array = crypto.getRandomValues(new Uint8Array(10))): string {
  const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const time = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
  const rand = hex(random);
  const variant = ((parseInt(rand.slice(3, 4), 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rand.slice(0, 3)}-${variant}${rand.slice(4, 7)}-${rand.slice(7, 19)}`;
}

/** The millisecond timestamp in a UUIDv7, or undefined for any other version. */
export function uuidv7Time(id: string): number | undefined {
  if (id[14] !== '7') return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
