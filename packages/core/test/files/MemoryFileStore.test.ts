import { fileStoreContract } from "../../src/testing/contract.js"
import * as MemoryFileStore from "../../src/testing/MemoryFileStore.js"

fileStoreContract("memory", () => MemoryFileStore.layer)
