import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { PersonalSettings } from "../../src/index.js"

const { addFolder, moveFolder, removeFolder, renameFolder } = PersonalSettings

const folder = (id: string) => ({ id, name: `Folder ${id}`, query: `folder=new&q=${id}` })
const folders = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 12 }).map((ids) => ids.map(folder))

describe("personal folders (DLG-02): create, rename, reorder, delete", () => {
  it("a move keeps the same folders, and moving back restores the order", () => {
    fc.assert(fc.property(folders, fc.nat(), fc.constantFrom("up" as const, "down" as const), (list, pick, direction) => {
      if (list.length === 0) return
      const id = list[pick % list.length]!.id
      const moved = Either.getOrThrow(moveFolder(list, id, direction))
      expect([...moved].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([...list].sort((a, b) => (a.id < b.id ? -1 : 1)))
      const back = Either.getOrThrow(moveFolder(moved, id, direction === "up" ? "down" : "up"))
      const atEnd = direction === "up" ? list[0]!.id === id : list.at(-1)!.id === id
      expect(atEnd ? moved : back).toEqual(list)
    }))
  })

  it("adds at the end with a trimmed name, renames in place, deletes one; refuses an empty or multi-line name and a folder that is not there", () => {
    const one = Either.getOrThrow(addFolder([folder("a")], "b", "  VIP in Telegram ", "folder=mine&channel=telegram"))
    expect(one.map((each) => [each.id, each.name])).toEqual([["a", "Folder a"], ["b", "VIP in Telegram"]])
    expect(Either.getOrThrow(renameFolder(one, "a", "Urgent")).map((each) => each.name)).toEqual(["Urgent", "VIP in Telegram"])
    expect(Either.getOrThrow(removeFolder(one, "a")).map((each) => each.id)).toEqual(["b"])
    expect(Either.getLeft(addFolder([], "c", "   ", "folder=new"))).toMatchObject({ _tag: "Some", value: { _tag: "Invalid", field: "name", message: "A folder needs a name" } })
    expect(Either.isLeft(addFolder([], "c", "two\nlines", "folder=new"))).toBe(true)
    expect(Either.isLeft(addFolder([], "c", "x".repeat(61), "folder=new"))).toBe(true)
    expect(Either.getLeft(renameFolder(one, "nope", "x"))).toMatchObject({ _tag: "Some", value: { _tag: "Missing" } })
    expect(Either.isLeft(moveFolder(one, "nope", "up"))).toBe(true)
    expect(Either.isLeft(removeFolder(one, "nope"))).toBe(true)
  })
})
