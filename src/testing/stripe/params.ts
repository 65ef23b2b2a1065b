import { invalidParameter } from "./errors"

/** A decoded `application/x-www-form-urlencoded` body or query string (bracket notation → nesting). */
export type Form = { [key: string]: FormValue | undefined }
type FormValue = string | Form | FormValue[]

/** `a[b][]` → `["a", "b", ""]`: the name and each bracketed segment after it. */
function segmentsOf(key: string): string[] {
  const open = key.indexOf("[")
  if (open < 0) {
    return [key]
  }
  return [key.slice(0, open), ...[...key.slice(open).matchAll(/\[([^\]]*)\]/g)].map((match) => match[1])]
}

/** Places `value` at `segments` under `target`: numeric or empty segments make arrays, names make objects. */
function place(target: Form | FormValue[], segments: string[], value: string): void {
  const [head, ...rest] = segments
  const list = Array.isArray(target)
  const slot = list ? (head === "" ? target.length : Number(head)) : head
  if (!rest.length) {
    if (list) {
      target[Number(slot)] = value
    } else {
      target[String(slot)] = value
    }
    return
  }
  const existing = list ? target[Number(slot)] : target[String(slot)]
  const child = typeof existing === "object" && existing !== null ? existing : rest[0] === "" || /^\d+$/.test(rest[0]) ? [] : {}
  if (list) {
    target[Number(slot)] = child
  } else {
    target[String(slot)] = child
  }
  place(child, rest, value)
}

/**
 * Decodes what the SDK sends: `metadata[a]=b`, `expand[0]=x`, `expand[]=x`, `automatic_payment_methods[enabled]=true`.
 * Written over `URLSearchParams` rather than with a form library: the testing kit ships in the package,
 * and this is all of Stripe's bracket notation the fake needs.
 */
export function decodeForm(text: string): Form {
  const form: Form = {}
  for (const [key, value] of new URLSearchParams(text)) {
    place(form, segmentsOf(key), value)
  }
  return form
}

/** Changes to an object's metadata: `metadata=` clears it, `metadata[k]=` removes k, `metadata[k]=v` sets k. */
export type MetadataUpdate = { clear: boolean; set: Record<string, string>; unset: string[] }

/** Typed, Stripe-strict reading of one form (or one nested part of it); errors read like Stripe's. */
export class Params {
  constructor(
    private readonly form: Form,
    private readonly prefix = "",
  ) {}

  private name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key
  }

  /** Stripe refuses parameters it does not know (`parameter_unknown`); so does the fake. */
  rejectUnknown(allowed: readonly string[]): void {
    for (const key of Object.keys(this.form)) {
      if (!allowed.includes(key) && key !== "expand") {
        throw invalidParameter(`Received unknown parameter: ${this.name(key)}`, this.name(key), "parameter_unknown")
      }
    }
  }

  /** True when the parameter was sent at all (even empty). */
  has(key: string): boolean {
    return this.form[key] !== undefined
  }

  private scalar(key: string): string | undefined {
    const value: FormValue | undefined = this.form[key]
    if (value === undefined || typeof value === "string") {
      return value
    }
    throw invalidParameter(`Invalid string: ${JSON.stringify(value)}`, this.name(key))
  }

  /** A string; `null` when sent empty (the SDK's encoding of `null`, which Stripe reads as "unset"). */
  string(key: string): string | null | undefined {
    const value = this.scalar(key)
    return value === "" ? null : value
  }

  /** A string that must be present and non-empty. */
  requiredString(key: string): string {
    const value = this.string(key)
    if (value === undefined) {
      throw invalidParameter(`Missing required param: ${this.name(key)}.`, this.name(key), "parameter_missing")
    }
    if (value === null) {
      throw emptyValue(this.name(key))
    }
    return value
  }

  /** One of the listed values. */
  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.string(key) ?? undefined
    if (value === undefined) {
      return undefined
    }
    const match = values.find((candidate) => candidate === value)
    if (!match) {
      throw invalidParameter(`Invalid ${this.name(key)}: must be one of ${values.join(", ")}`, this.name(key), "parameter_invalid")
    }
    return match
  }

  /** A non-negative integer (`"1000"`); empty or non-integer values are refused as Stripe does. */
  integer(key: string): number | undefined {
    const value = this.scalar(key)
    if (value === undefined) {
      return undefined
    }
    if (value === "") {
      throw emptyValue(this.name(key))
    }
    if (!/^\d+$/.test(value)) {
      throw invalidParameter(`Invalid integer: ${value}`, this.name(key), "parameter_invalid_integer")
    }
    return Number(value)
  }

  /** A present integer. */
  requiredInteger(key: string): number {
    const value = this.integer(key)
    if (value === undefined) {
      throw invalidParameter(`Missing required param: ${this.name(key)}.`, this.name(key), "parameter_missing")
    }
    return value
  }

  /** `"true"` / `"false"`, as the SDK encodes booleans. */
  boolean(key: string): boolean | undefined {
    const value = this.scalar(key)
    if (value === undefined) {
      return undefined
    }
    if (value !== "true" && value !== "false") {
      throw invalidParameter(`Invalid boolean: ${value}`, this.name(key))
    }
    return value === "true"
  }

  /** A list of strings (`x[0]=a&x[1]=b` or `x[]=a`). */
  strings(key: string): string[] | undefined {
    const value: FormValue | undefined = this.form[key]
    if (value === undefined) {
      return undefined
    }
    const items = Array.isArray(value) ? value : typeof value === "string" ? [value] : Object.values(value)
    return items.map((item) => {
      if (typeof item !== "string") {
        throw invalidParameter(`Invalid array: ${this.name(key)}`, this.name(key))
      }
      return item
    })
  }

  /** The nested hash `key[...]`, read with the same rules. */
  nested(key: string): Params | undefined {
    const value: FormValue | undefined = this.form[key]
    if (value === undefined || value === "") {
      return undefined
    }
    if (typeof value === "string" || Array.isArray(value)) {
      throw invalidParameter(`Invalid object: ${this.name(key)}`, this.name(key))
    }
    return new Params(value, this.name(key))
  }

  /** The `expand` list (`expand[0]=latest_charge` or `expand[]=latest_charge`). */
  expand(): string[] {
    return this.strings("expand") ?? []
  }

  /** A metadata update, validated with Stripe's limits (50 keys, key ≤ 40 chars, value ≤ 500 chars). */
  metadata(key = "metadata"): MetadataUpdate | undefined {
    const value: FormValue | undefined = this.form[key]
    if (value === undefined) {
      return undefined
    }
    if (value === "") {
      return { clear: true, set: {}, unset: [] }
    }
    if (typeof value === "string" || Array.isArray(value)) {
      throw invalidParameter("Invalid metadata: metadata must be a hash", key)
    }
    const update: MetadataUpdate = { clear: false, set: {}, unset: [] }
    const entries = Object.entries(value)
    if (entries.length > 50) {
      throw invalidParameter("Invalid metadata: metadata can have at most 50 keys", key)
    }
    for (const [name, item] of entries) {
      const param = `${key}[${name}]`
      if (typeof item !== "string") {
        throw invalidParameter(`Invalid string: ${JSON.stringify(item)}`, param)
      }
      if (name.length > 40) {
        throw invalidParameter("Invalid metadata: keys can be at most 40 characters", param)
      }
      if (item.length > 500) {
        throw invalidParameter("Invalid metadata: values can be at most 500 characters", param)
      }
      if (item === "") {
        update.unset.push(name)
      } else {
        update.set[name] = item
      }
    }
    return update
  }
}

/** Applies a {@link MetadataUpdate} to existing metadata (Stripe merges; it never replaces wholesale). */
export function applyMetadata(current: Record<string, string>, update: MetadataUpdate | undefined): Record<string, string> {
  if (!update) {
    return current
  }
  const next: Record<string, string> = update.clear ? {} : { ...current }
  for (const name of update.unset) {
    delete next[name]
  }
  return Object.assign(next, update.set)
}

function emptyValue(param: string) {
  return invalidParameter(
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; ` +
      `however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    param,
    "parameter_invalid_empty",
  )
}
