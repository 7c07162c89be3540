import { existsSync } from "node:fs"

/** Debian's Chromium, the browser of the e2e tier. */
export const chromiumPath = "/usr/bin/chromium"

/** Headless, no sandbox (root in CI), nothing that phones home or waits on the network. */
export const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] as const

const hasChromium = existsSync(chromiumPath)
const inCi = process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false"

/**
 * Whether the browser tests run here: with Chromium installed, and always on CI (where a missing
 * Chromium is then a failure, not a skip). Use as `describe.skipIf(!runsInChromium)(...)`.
 */
export const runsInChromium = hasChromium || inCi

/** Throws on CI without Chromium: the suite must not pass by skipping its browser tests. */
export const requireChromium = (): void => {
  if (!hasChromium) throw new Error(`CI is set but ${chromiumPath} is missing: install Debian's chromium`)
}

if (!runsInChromium) console.warn(`Skipping the browser tests: ${chromiumPath} is missing (apt-get install -y chromium).`)
