import { authorizationOf } from "./admin-client"

describe("the command-line tool's admin credentials", () => {
  it("sends a secret API key as HTTP Basic, and an admin user's token (needed where RBAC is on) as a bearer token", () => {
    expect(authorizationOf("sk_admin")).toBe(`Basic ${Buffer.from("sk_admin:").toString("base64")}`)
    expect(authorizationOf("eyJhbGciOiJIUzI1NiJ9.e30.sig")).toBe("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")
  })
})
