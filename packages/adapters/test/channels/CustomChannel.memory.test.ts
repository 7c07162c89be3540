import { MemoryStore } from "@switchboard/core/testing"
import { customConformance } from "./customConformance.js"

customConformance("the in-memory store", () => MemoryStore.layer)
