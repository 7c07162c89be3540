import { Layer } from "effect"
import { vi } from "vitest"
import { SqlStore } from "../../src/index.js"
import { PgliteScratch } from "../../src/testing.js"
import { customConformance } from "./customConformance.js"

vi.setConfig({ testTimeout: 60_000 })

customConformance("PGlite", () => SqlStore.layer.pipe(Layer.provide(PgliteScratch.layer())), false)
