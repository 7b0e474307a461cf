/** The current time as the ISO-8601 UTC text every table stores. */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString()
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000)
}
