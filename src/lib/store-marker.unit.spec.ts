import { isStoreMarker, storeMarker } from "./store-marker"

describe("store marker", () => {
  const secrets = ["whsec_current", "whsec_previous"]

  it("is short hex, stable for a session, and differs between sessions and secrets", () => {
    const marker = storeMarker(secrets, "payses_1")
    expect(marker).toMatch(/^[0-9a-f]{16}$/)
    expect(storeMarker(secrets, "payses_1")).toBe(marker)
    expect(storeMarker(secrets, "payses_2")).not.toBe(marker)
    expect(storeMarker(["whsec_other_store"], "payses_1")).not.toBe(marker)
  })

  it("is recognised under every configured secret, so a rolled secret keeps recognising older marks", () => {
    const markedBefore = storeMarker(["whsec_previous"], "payses_1")
    expect(isStoreMarker(markedBefore, secrets, "payses_1")).toBe(true)
    expect(isStoreMarker(storeMarker(secrets, "payses_1"), secrets, "payses_1")).toBe(true)
  })

  it.each([
    ["another store's marker", storeMarker(["whsec_other_store"], "payses_1"), "payses_1"],
    ["this store's marker of another session", storeMarker(["whsec_current"], "payses_2"), "payses_1"],
    ["no marker (created before markers, or by another integration)", undefined, "payses_1"],
    ["a marker of the wrong length", "abc", "payses_1"],
    ["a non-string marker", 42, "payses_1"],
    ["a marker of 16 non-ASCII characters (more than 16 bytes)", "é".repeat(16), "payses_1"],
    ["a marker of upper-case hex", storeMarker(["whsec_current"], "payses_1").toUpperCase(), "payses_1"],
    ["no session id", storeMarker(["whsec_current"], "payses_1"), undefined],
  ])("rejects %s", (_, marker, sessionId) => {
    expect(isStoreMarker(marker, secrets, sessionId)).toBe(false)
  })
})
