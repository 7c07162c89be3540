/**
 * When each panel first heard of a dialog or message ("reached": any event naming it) and when its
 * screen had it ("shown"), against when the inbound request that made it was sent. Times are
 * `performance.now()` of the runner. An event may come before the inbound request's answer (which
 * names the new dialog), so times are kept for every key and joined with the requests at the end.
 */
export interface Sent {
  readonly key: string
  readonly sentAt: number
  /** Every panel with New open (a new dialog), or the one panel whose dialog it is (a message). */
  readonly audience: "new" | number
}

/** Nearest-rank percentile of sorted numbers. */
export const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!

/** What one audience saw of what was sent: latencies (ms, sorted) and how many never arrived. */
export interface Seen {
  readonly reached: ReadonlyArray<number>
  readonly shown: ReadonlyArray<number>
  readonly missing: number
  /** Panels outside the audience that were sent it (a message's bubble to someone without the dialog open). */
  readonly strays: number
}

export class Tracker {
  listGets = 0
  /** Rows pushed on the streams (0: the server speaks the old protocol, signals and re-GETs). */
  pushedRows = 0
  /** Streams told to reload their page (fallen too far behind). */
  refreshes = 0
  events = 0
  bytes = 0
  readonly failures: Array<string> = []
  private readonly times = new Map<string, { readonly reached: Float64Array; readonly shown: Float64Array }>()
  private readonly sent: Array<Sent> = []

  /** Panels 0..owners-1 have their own dialog open; the others have New open. */
  constructor(private readonly panels: number, private readonly owners: number) {}

  /** Forget everything (after the warm-up). */
  reset(): void {
    this.listGets = 0
    this.pushedRows = 0
    this.refreshes = 0
    this.events = 0
    this.bytes = 0
    this.failures.length = 0
    this.times.clear()
    this.sent.length = 0
  }

  private timesOf(key: string) {
    let found = this.times.get(key)
    if (found === undefined) {
      found = { reached: new Float64Array(this.panels).fill(Number.NaN), shown: new Float64Array(this.panels).fill(Number.NaN) }
      this.times.set(key, found)
    }
    return found
  }

  reached(key: string, panel: number): void {
    const times = this.timesOf(key)
    if (Number.isNaN(times.reached[panel]!)) times.reached[panel] = performance.now()
  }

  shown(key: string, panel: number): void {
    const times = this.timesOf(key)
    const now = performance.now()
    if (Number.isNaN(times.reached[panel]!)) times.reached[panel] = now
    if (Number.isNaN(times.shown[panel]!)) times.shown[panel] = now
  }

  failure(message: string): void {
    if (this.failures.length < 20) this.failures.push(message)
  }

  expect(sent: Sent): void {
    this.sent.push(sent)
  }

  /** How many (key, panel) pairs of the audiences have not been shown yet. */
  outstanding(): number {
    let count = 0
    for (const sent of this.sent) {
      const shown = this.times.get(sent.key)?.shown
      if (sent.audience === "new") count += shown === undefined ? this.panels - this.owners : shown.reduce((sum, time, panel) => sum + (panel >= this.owners && Number.isNaN(time) ? 1 : 0), 0)
      else if (shown === undefined || Number.isNaN(shown[sent.audience]!)) count++
    }
    return count
  }

  /** What the audiences of the sends matching `kind` saw. */
  seen(kind: (sent: Sent) => boolean): Seen {
    const reached: Array<number> = []
    const shown: Array<number> = []
    let missing = 0
    let strays = 0
    for (const sent of this.sent.filter(kind)) {
      const times = this.times.get(sent.key)
      for (let panel = 0; panel < this.panels; panel++) {
        const inAudience = sent.audience === "new" ? panel >= this.owners : sent.audience === panel
        const reachedAt = times?.reached[panel] ?? Number.NaN
        if (!inAudience) {
          if (sent.audience !== "new" && !Number.isNaN(reachedAt)) strays++
          continue
        }
        const shownAt = times?.shown[panel] ?? Number.NaN
        if (!Number.isNaN(reachedAt)) reached.push(reachedAt - sent.sentAt)
        if (Number.isNaN(shownAt)) missing++
        else shown.push(shownAt - sent.sentAt)
      }
    }
    const ascending = (a: number, b: number) => a - b
    return { reached: reached.sort(ascending), shown: shown.sort(ascending), missing, strays }
  }
}
