import { routingProperties } from "../../src/testing/RoutingProperties.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"

routingProperties("memory", () => MemoryStore.layer, { numRuns: 50, orderRuns: 100 })
