import { Layer } from "effect"
import { SqlStore } from "../../src/index.js"
import { PgliteScratch } from "../../src/testing.js"
import { customConformance } from "./customConformance.js"

customConformance("PGlite", () => SqlStore.layer.pipe(Layer.provide(PgliteScratch.layer())))
