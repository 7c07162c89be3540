import { describe, expect, it } from "vitest"
import { Contract, LoginPage } from "../src/index.js"
import { byTestId, hostile, one, render, textOf } from "./helpers.js"

const demo = {
  password: "demo-password",
  users: [
    { id: "anna", name: "Anna", role: "operator", login: "anna@example.com" },
    { id: "sue", name: hostile, role: "supervisor", login: "sue@example.com" }
  ]
}

describe("the sign-in page", () => {
  it("is a POST form for login and password, carrying the CSRF token, with the browser's autofill hints", async () => {
    const page = await render(<LoginPage csrfToken="token-123" />)
    const form = page.querySelector("form.login-form")!
    expect(form.getAttribute("method")).toBe("post")
    expect(form.getAttribute("action")).toBe(Contract.routes.login)
    expect(form.querySelector(`input[name="${Contract.csrf.field}"]`)!.getAttribute("value")).toBe("token-123")
    expect(form.querySelector(`input[name="${Contract.accountFields.login}"]`)!.getAttribute("autocomplete")).toBe("username")
    const password = form.querySelector(`input[name="${Contract.accountFields.password}"]`)!
    expect(password.getAttribute("type")).toBe("password")
    expect(password.getAttribute("autocomplete")).toBe("current-password")
  })

  it("offers the demo users and password only in demo mode", async () => {
    const plain = await render(<LoginPage csrfToken="t" />)
    expect(byTestId(plain, Contract.testIds.demoPassword)).toHaveLength(0)
    expect(byTestId(plain, Contract.testIds.loginAs("anna"))).toHaveLength(0)
    const page = await render(<LoginPage csrfToken="t" demo={demo} />)
    expect(textOf(one(page, Contract.testIds.demoPassword))).toBe("demo-password")
    const anna = one(page, Contract.testIds.loginAs("anna"))
    expect(anna.getAttribute("name")).toBe(Contract.accountFields.login)
    expect(anna.getAttribute("value")).toBe("anna@example.com")
    expect(anna.parentNode.parentNode.parentNode.querySelector(`input[name="${Contract.accountFields.password}"]`)!.getAttribute("value")).toBe("demo-password")
  })

  it("shows a user's name as text, never as markup", async () => {
    const page = await render(<LoginPage csrfToken="t" demo={demo} />)
    expect(textOf(one(page, Contract.testIds.loginAs("sue")))).toBe(`${hostile} supervisor · sue@example.com`)
    expect(page.querySelectorAll("img")).toHaveLength(0)
  })

  it("announces an error as an alert, and shows none without one", async () => {
    const failed = await render(<LoginPage csrfToken="t" error={hostile} />)
    const alert = one(failed, Contract.testIds.loginError)
    expect(alert.getAttribute("role")).toBe("alert")
    expect(textOf(alert)).toBe(hostile)
    expect(byTestId(await render(<LoginPage csrfToken="t" />), Contract.testIds.loginError)).toHaveLength(0)
  })
})
