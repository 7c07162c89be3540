import { describe, expect, it } from "vitest"
import { Contract, LoginPage } from "../src/index.js"
import { byTestId, hostile, one, render, textOf } from "./helpers.js"

const users = [
  { id: "anna", name: "Anna", role: "operator" },
  { id: "sue", name: hostile, role: "supervisor" }
]

describe("the sign-in page", () => {
  it("offers one sign-in button per user, in a POST form carrying the CSRF token", async () => {
    const page = await render(<LoginPage users={users} csrfToken="token-123" />)
    const form = page.querySelector("form")!
    expect(form.getAttribute("method")).toBe("post")
    expect(form.getAttribute("action")).toBe(Contract.routes.login)
    expect(form.querySelector(`input[name="${Contract.csrf.field}"]`)?.getAttribute("value")).toBe("token-123")
    const anna = one(page, Contract.testIds.loginAs("anna"))
    expect(anna.getAttribute("type")).toBe("submit")
    expect(anna.getAttribute("name")).toBe("userId")
    expect(anna.getAttribute("value")).toBe("anna")
    expect(textOf(anna)).toBe("Anna operator")
  })

  it("shows a user's name as text, never as markup", async () => {
    const page = await render(<LoginPage users={users} csrfToken="t" />)
    expect(textOf(one(page, Contract.testIds.loginAs("sue")))).toBe(`${hostile} supervisor`)
    expect(page.querySelectorAll("img")).toHaveLength(0)
  })

  it("announces an error as an alert, and shows none without one", async () => {
    const failed = await render(<LoginPage users={users} csrfToken="t" error="Unknown user" />)
    expect(failed.querySelectorAll('[role="alert"]').map(textOf)).toEqual(["Unknown user"])
    const fresh = await render(<LoginPage users={users} csrfToken="t" />)
    expect(fresh.querySelectorAll('[role="alert"]')).toHaveLength(0)
    expect(byTestId(fresh, Contract.testIds.login)).toHaveLength(1)
  })
})
