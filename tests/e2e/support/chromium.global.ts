import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { pathToFileURL } from "node:url"
import type { TestProject } from "vitest/node"
import { chromiumArgs, chromiumPath } from "./chromium.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** The shared Chromium's Playwright endpoint (`chromium.connect`); absent where Chromium is not installed. */
    chromiumEndpoint: string | undefined
  }
}

/**
 * The e2e project's global setup: one headless Chromium for the whole run, which every test file
 * connects to (`useE2e` in e2e.ts) and opens its own contexts in, instead of launching a browser per
 * file (about 2 s and 1.5 CPU s each on this machine). Runs only when an e2e file is queued.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(chromiumPath)) {
    project.provide("chromiumEndpoint", undefined)
    return
  }
  // Resolved from this folder: playwright-core is a dependency of the tests package, not of the
  // root, where the global setup's loader would look for a bare name.
  const playwright = pathToFileURL(createRequire(import.meta.url).resolve("playwright-core")).href
  const { chromium } = (await import(playwright)) as typeof import("playwright-core")
  const server = await chromium.launchServer({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs] })
  project.provide("chromiumEndpoint", server.wsEndpoint())
  return async () => {
    await server.close()
  }
}
