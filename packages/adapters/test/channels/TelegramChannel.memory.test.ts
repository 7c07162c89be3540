import { MemoryStore } from "@switchboard/core/testing"
import { telegramConformance } from "./telegramConformance.js"

telegramConformance("the in-memory store", () => MemoryStore.layer)
